import type { DetectFinding, DetectMode, DetectReader, DetectSource } from './types.js';
import { YAML_TEMPLATE_INFIX, YAML_TEMPLATE_SUFFIX } from './template-tags.js';
import { LineIndex } from './text.js';
import { parseYamlDocuments, type YamlDocument } from './yaml-documents.js';

/** A file read for detection: its path (absolute and as reported) and text. */
export class ScanFile {
  readonly lines: LineIndex;
  private documents?: YamlDocument[] | { readonly error: unknown };

  constructor(
    /** Absolute path. */
    readonly path: string,
    /** Relative to the working folder, `/`-separated: the name reported in findings. */
    readonly relative: string,
    readonly text: string,
    /**
     * The text as written, for a template (a Helm chart template, `gateway.yaml.tmpl`) whose `text` is that text
     * with its template tags blanked (`yamlWithoutTemplateTags`, same lines) so the YAML readers can read it.
     */
    readonly written?: string,
    /**
     * For a template read without the lines that hold only template actions (`withoutActionLines`: its tags
     * blanked in place were no YAML), those 1-based lines; empty otherwise.
     */
    readonly actionLinesLeftOut: readonly number[] = [],
  ) {
    this.lines = new LineIndex(text);
  }

  /**
   * The file's YAML (or JSON) documents, parsed once however many readers ask (`parseYamlDocuments`; throws its
   * syntax error, the same one at every call: a broken file is not parsed again by each reader and by
   * index.ts `unparsedGatewayConfig`).
   */
  yamlDocuments(): YamlDocument[] {
    if (!this.documents) {
      try {
        this.documents = parseYamlDocuments(this.text);
      } catch (error) {
        this.documents = { error };
      }
    }
    if (!Array.isArray(this.documents)) throw this.documents.error;
    return this.documents;
  }

  /**
   * The file name without folders, lower-cased; for a YAML / JSON template, the name of the file it renders
   * (`gateway.yaml.tmpl`, `gateway.tftpl.yaml` -> `gateway.yaml`).
   */
  get baseName(): string {
    return this.relative
      .slice(this.relative.lastIndexOf('/') + 1)
      .toLowerCase()
      .replace(YAML_TEMPLATE_SUFFIX, '$1')
      .replace(YAML_TEMPLATE_INFIX, '');
  }

  /** A finding at a 1-based line of this file; evidence defaults to that line's text. */
  finding(
    line: number,
    source: DetectSource,
    mode: DetectMode,
    reader: DetectReader,
    extra: Partial<Pick<DetectFinding, 'hosts' | 'paths' | 'evidence' | 'confidence' | 'note'>> = {},
  ): DetectFinding {
    return {
      file: this.relative,
      line,
      source,
      mode,
      hosts: extra.hosts ?? [],
      paths: extra.paths ?? [],
      evidence: extra.evidence ?? this.lines.lineText(line),
      confidence: extra.confidence ?? 'certain',
      reader,
      ...(extra.note ? { note: extra.note } : {}),
    };
  }
}
