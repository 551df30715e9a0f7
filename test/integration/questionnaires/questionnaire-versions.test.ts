import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import {
  createQuestionnairesModule,
  QuestionnaireDefinition,
} from '../../../src/features/questionnaires';
import { createQuestionnaireRepository } from '../../../src/features/questionnaires/questionnaire.repository';
import { createQuestionnaireService } from '../../../src/features/questionnaires/questionnaire.service';
import { ConflictError, ValidationError } from '../../../src/shared/errors';
import { createLogger } from '../../../src/shared/logging';
import { FIXED_NOW } from '../../support/app';
import { openTestDatabase, type TestDatabase } from '../../support/db';
import { aDefinition } from '../../support/factories';
import { quietPreparation } from '../../support/preparation';

/** The version rules, through the real service and repository on the real database. */
let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.drop());

const builtin = QuestionnaireDefinition.parse(
  aDefinition({ slug: 'shipped', title: 'Shipped v1' }),
);

/** The service, with its built-ins stored, as the app's readiness gate ensures before a request. */
async function service(builtins = [builtin], logger = createLogger({ level: 'silent' })) {
  const created = createQuestionnaireService({
    repository: createQuestionnaireRepository(db.conn),
    builtins,
    clock: () => FIXED_NOW,
    logger,
  });
  await created.prepare();
  return created;
}

const docs = () => db.conn.collection('questionnaires');

describe('saveVersion (workspace questionnaires)', () => {
  const ws = 'ws-versions';

  it('stores a new slug as version 1, readable by its workspace only', async () => {
    const questionnaires = await service();
    const saved = await questionnaires.saveVersion(
      ws,
      aDefinition({ slug: 'ours', version: undefined }),
    );

    expect(saved.outcome).toBe('created');
    expect(saved.questionnaire).toMatchObject({ builtin: false, locked: false, versions: [1] });
    expect((await questionnaires.get(ws, 'ours')).definition.title).toBe('Test questionnaire');
    await expect(questionnaires.get('another-ws', 'ours')).rejects.toMatchObject({
      status: 404,
      code: 'QUESTIONNAIRE_NOT_FOUND',
    });
    expect((await questionnaires.list(ws)).map((s) => s.slug)).toContain('ours');
    expect((await questionnaires.list(null)).map((s) => s.slug)).not.toContain('ours');
  });

  it('changes nothing when the same definition is saved again', async () => {
    const questionnaires = await service();
    await questionnaires.saveVersion(ws, aDefinition({ slug: 'same', version: undefined }));
    const before = await docs().find({ slug: 'same' }).toArray();

    const again = await questionnaires.saveVersion(ws, aDefinition({ slug: 'same', version: 1 }));

    expect(again.outcome).toBe('unchanged');
    expect(await docs().find({ slug: 'same' }).toArray()).toEqual(before);
  });

  it('edits an unused version in place, and makes a new version once a round uses it', async () => {
    // Arrange
    const questionnaires = await service();
    await questionnaires.saveVersion(ws, aDefinition({ slug: 'evolving', title: 'First' }));

    // Act 1: no round uses version 1 yet
    const edited = await questionnaires.saveVersion(
      ws,
      aDefinition({ slug: 'evolving', title: 'Second' }),
    );

    // Assert 1
    expect(edited.outcome).toBe('updated');
    expect(edited.questionnaire.versions).toEqual([1]);

    // Act 2: a round takes version 1 into use; the next change makes version 2
    const stored = await docs().findOne({ slug: 'evolving', version: 1 });
    await createQuestionnaireRepository(db.conn).lock(String(stored?._id), FIXED_NOW);
    const next = await questionnaires.saveVersion(
      ws,
      aDefinition({ slug: 'evolving', title: 'Third', version: undefined }),
    );

    // Assert 2: version 1 is kept as it was, version 2 is the latest
    expect(next.outcome).toBe('created');
    expect(next.questionnaire).toMatchObject({ versions: [1, 2], latestVersion: 2, locked: false });
    expect((await questionnaires.get(ws, 'evolving', 1)).definition.title).toBe('Second');
    expect((await questionnaires.get(ws, 'evolving', 1)).locked).toBe(true);
    expect((await questionnaires.get(ws, 'evolving')).definition.title).toBe('Third');
  });

  it('refuses a version other than the next one with 409, storing nothing', async () => {
    const questionnaires = await service();
    await questionnaires.saveVersion(ws, aDefinition({ slug: 'concurrent' }));
    const before = await docs().countDocuments();

    await expect(
      questionnaires.saveVersion(ws, aDefinition({ slug: 'concurrent', version: 5 })),
    ).rejects.toMatchObject({ status: 409, code: 'QUESTIONNAIRE_VERSION_CONFLICT' });
    expect(await docs().countDocuments()).toBe(before);
  });

  it('refuses the slug of a built-in with 409', async () => {
    await expect(
      (await service()).saveVersion(ws, aDefinition({ slug: 'shipped' })),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('refuses an invalid definition with every problem, storing nothing', async () => {
    const before = await docs().countDocuments();
    const attempt = (await service()).saveVersion(ws, {
      ...aDefinition({ slug: 'bad', title: '' }),
      $where: '1',
    });

    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toMatchObject({
      details: [
        { path: 'title', message: 'Must not be empty' },
        { path: '(root)', message: 'This field is not known here: $where. Leave it out.' },
      ],
    });
    expect(await docs().countDocuments()).toBe(before);
  });
});

describe('built-in questionnaires', () => {
  it('are stored once and keep old versions readable after an upgrade ships version 2', async () => {
    await (await service()).list(null);
    const v2 = QuestionnaireDefinition.parse(
      aDefinition({ slug: 'shipped', version: 2, title: 'Shipped v2' }),
    );

    const upgraded = await service([v2]);

    expect((await upgraded.get(null, 'shipped')).definition.title).toBe('Shipped v2');
    expect((await upgraded.get(null, 'shipped', 1)).definition.title).toBe('Shipped v1');
    expect((await upgraded.list(null)).filter((s) => s.slug === 'shipped')).toHaveLength(1);
  });

  it('keep a version that rounds use even if its file changed, and log an error', async () => {
    // Arrange: version 1 of "pinned" is stored and locked by a round.
    const original = QuestionnaireDefinition.parse(
      aDefinition({ slug: 'pinned', title: 'Original' }),
    );
    await (await service([original])).list(null);
    const stored = await docs().findOne({ slug: 'pinned' });
    await createQuestionnaireRepository(db.conn).lock(String(stored?._id), FIXED_NOW);
    const lines: string[] = [];
    const logger = createLogger({
      level: 'error',
      destination: new Writable({
        write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()),
      }),
    });

    // Act: a release changes the file without bumping the version.
    const changed = QuestionnaireDefinition.parse(
      aDefinition({ slug: 'pinned', title: 'Changed' }),
    );
    const reader = await service([changed], logger);

    // Assert
    expect((await reader.get(null, 'pinned', 1)).definition.title).toBe('Original');
    expect(lines.join('')).toContain('bump its version');
  });
});

describe('the content folder', () => {
  it('stops the app from being built when a built-in file is invalid', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'teamlens-content-'));
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ ...aDefinition(), title: '' }));
    try {
      expect(() =>
        createQuestionnairesModule({
          conn: db.conn,
          preparation: quietPreparation(),
          contentDir: dir,
          clock: () => FIXED_NOW,
          logger: createLogger({ level: 'silent' }),
        }),
      ).toThrow(/bad\.json: title: Must not be empty/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
