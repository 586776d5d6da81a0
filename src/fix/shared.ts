import path from 'node:path';
import type { ResolvedConfig } from '../config/resolve.js';
import { findMtlsFixError } from '../errors.js';
import { computeFindings, toEffectiveOptions } from '../findings/findings.js';
import {
  encodePointer,
  fileIdentity,
  forbiddenKeys,
  isObject,
  loadOpenApiDocument,
  type JsonPath,
} from '../openapi/index.js';
import { responsesUsers } from './users.js';

/** A reader of a 403 key that its own document does not migrate: a non-mTLS operation, a webhook, a callback. */
export interface ForeignReader {
  /** Absolute path of the file holding the key. */
  file: string;
  /** Path of the `responses` map in that file (as its `$ref`s reach it) and the key as written. */
  mapPath: JsonPath;
  code: string;
  /** `GET /status`, `webhook newPet POST`, `callback cb POST of GET /a` (as in ResponsesUser). */
  reader: string;
  /** The other document's root, relative to the working folder, `/`-separated. */
  document: string;
}

/**
 * The 403 keys that other documents read without migrating them (DESIGN §2: only mTLS-secured operations are
 * migrated). A key in a file shared between documents (`common/status.yaml` $ref'd by a partner mTLS API and a
 * public API) may only change when no document of the run, and none listed in config `spec`, still needs it.
 * Each other document is loaded and analysed once per run, and only when a fix has a key to change.
 */
export class SharedReaders {
  private readonly byDocument = new Map<string, ForeignReader[]>();

  /**
   * @param documents absolute paths of every document that may read the run's files: the run's own documents
   *   and config `spec`. A file that cannot be loaded or is not OpenAPI (a fragment matched by a `spec` glob)
   *   reads nothing here; a document of the run reports its own error when its turn comes.
   */
  constructor(
    private readonly documents: readonly string[],
    private readonly options: { cwd: string; config: ResolvedConfig },
  ) {}

  /**
   * Non-migrating readers, from documents other than `root` (absolute), of 403 keys in `files` (absolute), each
   * named by its path in `files` (also when the other document reaches the file under another name).
   */
  readersOf(root: string, files: ReadonlySet<string>): ForeignReader[] {
    const readers: ForeignReader[] = [];
    // By file identity: another document may reach the same file under another name (a symlinked folder, a
    // hard link); its reader is then given the name this run uses.
    const byIdentity = new Map([...files].map((file) => [fileIdentity(file), file]));
    const rootIdentity = fileIdentity(root);
    for (const document of new Set(this.documents)) {
      if (document === root || fileIdentity(document) === rootIdentity) continue;
      for (const reader of this.readersIn(document)) {
        const file = files.has(reader.file) ? reader.file : byIdentity.get(fileIdentity(reader.file));
        if (file !== undefined) readers.push({ ...reader, file });
      }
    }
    return readers;
  }

  private readersIn(document: string): ForeignReader[] {
    let readers = this.byDocument.get(document);
    if (!readers) {
      readers = this.load(document);
      this.byDocument.set(document, readers);
    }
    return readers;
  }

  private load(document: string): ForeignReader[] {
    const { cwd, config } = this.options;
    let set;
    try {
      ({ set } = loadOpenApiDocument(document, { cwd, allowRemoteRefs: config.allowRemoteRefs }));
    } catch (error) {
      if (findMtlsFixError(error)) return [];
      throw error;
    }
    const display = path.relative(cwd, document).split(path.sep).join('/');
    const migrated = new Set<string>();
    let users;
    try {
      for (const finding of computeFindings(set, toEffectiveOptions(config))) {
        // Suppressed findings and integration statusCodes are not migrated response keys.
        if (finding.rule !== 'mtls-no-403' || finding.site !== undefined || finding.ignored) continue;
        const name = `${finding.operation.method} ${finding.operation.path}`;
        migrated.add(`${name}\n${finding.location.file.path}#${encodePointer(finding.location.path)}`);
      }
      users = responsesUsers(set);
    } catch (error) {
      if (findMtlsFixError(error)) return []; // a broken document: its own run reports it
      throw error;
    }
    const readers: ForeignReader[] = [];
    for (const { name, responses } of users) {
      if (!isObject(responses.value)) continue;
      for (const code of forbiddenKeys(responses.file, responses.path, responses.value)) {
        const id = `${name}\n${responses.file.path}#${encodePointer([...responses.path, code])}`;
        if (migrated.has(id)) continue;
        readers.push({
          file: responses.file.path,
          mapPath: responses.path,
          code,
          reader: name,
          document: display.startsWith('..') ? document : display,
        });
      }
    }
    return readers;
  }
}
