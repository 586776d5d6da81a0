import type { DetectFinding, DetectMode, DetectReader, DetectSource } from './types.js';
import { LineIndex } from './text.js';
import { parseYamlDocuments, type YamlDocument } from './yaml-documents.js';

/** A file read for detection: its path (absolute and as reported) and text. */
export class ScanFile {
  readonly lines: LineIndex;
  private documents?: YamlDocument[];

  constructor(
    /** Absolute path. */
    readonly path: string,
    /** Relative to the working folder, `/`-separated: the name reported in findings. */
    readonly relative: string,
    readonly text: string,
  ) {
    this.lines = new LineIndex(text);
  }

  /**
   * The file's YAML (or JSON) documents, parsed once however many readers ask (`parseYamlDocuments`; throws its
   * syntax error, again at every call).
   */
  yamlDocuments(): YamlDocument[] {
    this.documents ??= parseYamlDocuments(this.text);
    return this.documents;
  }

  /** The file name without folders, lower-cased. */
  get baseName(): string {
    return this.relative.slice(this.relative.lastIndexOf('/') + 1).toLowerCase();
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
