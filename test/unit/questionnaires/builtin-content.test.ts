import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import {
  questionnaireJsonSchemaText,
  type QuestionnaireDefinition,
} from '../../../src/features/questionnaires';
import { loadBuiltinDefinitions } from '../../../src/features/questionnaires/questionnaire.content';
import { CONTENT_DIR, ROOT } from '../../../src/paths';

/** The shipped library (files on disk, no server), held to what the product promises. */
const dir = path.join(CONTENT_DIR, 'questionnaires');
const builtins = loadBuiltinDefinitions(dir);
const bySlug = (slug: string): QuestionnaireDefinition => {
  const found = builtins.find((d) => d.slug === slug);
  if (!found) throw new Error(`no built-in ${slug}`);
  return found;
};
const itemsOf = (d: QuestionnaireDefinition) => d.sections.flatMap((s) => s.items);

describe('the built-in questionnaires', () => {
  it('are the four of the library, each valid', () => {
    expect(builtins.map((d) => d.slug)).toEqual([
      'active-practice',
      'drivers-constraints-floats',
      'operating-maturity',
      'tensions-in-how-we-work',
    ]);
  });

  it('validate against the exported JSON Schema too, as an editor would check them', () => {
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(
      JSON.parse(questionnaireJsonSchemaText()) as object,
    );
    for (const file of [
      'active-practice',
      'drivers-constraints-floats',
      'operating-maturity',
      'tensions-in-how-we-work',
    ]) {
      const raw: unknown = JSON.parse(readFileSync(path.join(dir, `${file}.json`), 'utf8'));
      expect({ file, valid: validate(raw), errors: validate.errors ?? null }).toEqual({
        file,
        valid: true,
        errors: null,
      });
    }
  });

  it('"Tensions in how we work" has at least 12 tensions, each pole with a good and a risk', () => {
    const tensions = itemsOf(bySlug('tensions-in-how-we-work')).filter((i) => i.kind === 'tension');
    expect(tensions.length).toBeGreaterThanOrEqual(12);
    for (const t of tensions) {
      for (const pole of [t.left, t.right]) {
        expect(pole.good).not.toBe(pole.risk);
        expect(pole.good.length).toBeGreaterThan(20);
        expect(pole.risk.length).toBeGreaterThan(20);
      }
    }
  });

  it('"Active Practice" has at least 8 prompts, some of them with a rating', () => {
    const prompts = itemsOf(bySlug('active-practice')).filter((i) => i.kind === 'practice');
    expect(prompts.length).toBeGreaterThanOrEqual(8);
    const rated = prompts.filter((p) => p.kind === 'practice' && p.rating);
    expect(rated.length).toBeGreaterThanOrEqual(2);
    expect(rated.length).toBeLessThan(prompts.length);
  });

  it('"Operating maturity" has at least 6 dimensions and 18 items of 5 levels each', () => {
    const maturity = bySlug('operating-maturity');
    const items = itemsOf(maturity);
    expect(maturity.dimensions.length).toBeGreaterThanOrEqual(6);
    expect(items.length).toBeGreaterThanOrEqual(18);
    for (const item of items) {
      expect(item.kind).toBe('maturity');
      if (item.kind === 'maturity') expect(item.levels).toHaveLength(5);
    }
  });

  it('"Drivers, constraints and floats" has at least 6 aspects and explains the rule', () => {
    const dcf = itemsOf(bySlug('drivers-constraints-floats')).find((i) => i.kind === 'dcf');
    expect(dcf?.kind).toBe('dcf');
    if (dcf?.kind !== 'dcf') return;
    expect(dcf.aspects.length).toBeGreaterThanOrEqual(6);
    expect(dcf.guidance).toMatch(
      /more than two drivers, more than two constraints or fewer than two floats/,
    );
  });

  it('promise nothing about names or anonymity: one questionnaire serves named and anonymous rounds, and the respondent page says what the round keeps', () => {
    for (const d of builtins) {
      expect({
        slug: d.slug,
        promises: JSON.stringify(d).match(/[^."]*(your name|anonym)[^."]*/gi),
      }).toEqual({
        slug: d.slug,
        promises: null,
      });
    }
  });

  it('point editors at the JSON Schema kept in docs/', () => {
    for (const d of builtins) expect(d.$schema).toBe('../../docs/questionnaire.schema.json');
  });
});

describe('docs/questionnaire.schema.json', () => {
  it('is the JSON Schema generated from the zod schema (run npm run schema:export)', () => {
    const committed = readFileSync(path.join(ROOT, 'docs', 'questionnaire.schema.json'), 'utf8');
    expect(committed).toBe(questionnaireJsonSchemaText());
  });
});

describe('loadBuiltinDefinitions', () => {
  it('names the file and path of every problem when a file is broken', () => {
    const broken = path.join(ROOT, 'test', 'fixtures', 'broken-content');
    expect(() => loadBuiltinDefinitions(broken)).toThrow(
      /broken\.json: sections\.0\.items\.0\.left\.risk: .*\n.*not-json\.json: not valid JSON/s,
    );
  });
});
