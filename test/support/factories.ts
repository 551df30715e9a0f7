import path from 'node:path';
import { loadBuiltinDefinitions } from '../../src/features/questionnaires/questionnaire.content';
import { CONTENT_DIR } from '../../src/paths';
import type { z } from 'zod';
import type { QuestionnaireDefinition } from '../../src/features/questionnaires';

type DefinitionInput = z.input<typeof QuestionnaireDefinition>;
type ItemInput = DefinitionInput['sections'][number]['items'][number];

/** Deterministic builders for test data; override what a test is about. */

export function aTensionItem(
  overrides: Partial<Extract<ItemInput, { kind: 'tension' }>> = {},
): ItemInput {
  return {
    kind: 'tension',
    id: 'plan-or-adapt',
    dimension: 'ways',
    prompt: 'Do we follow the plan or adapt it?',
    left: { label: 'Plan', good: 'Predictable for partners.', risk: 'Ignores what we learn.' },
    right: { label: 'Adapt', good: 'Uses what we learn.', risk: 'Hard for partners to rely on.' },
    ...overrides,
  };
}

export function aMaturityItem(
  overrides: Partial<Extract<ItemInput, { kind: 'maturity' }>> = {},
): ItemInput {
  return {
    kind: 'maturity',
    id: 'visible-work',
    dimension: 'ways',
    statement: 'Work is visible.',
    levels: ['Not yet', 'Emerging', 'Practised', 'Established', 'Shaping'].map((label) => ({
      label,
      description: `${label}: a description.`,
    })),
    ...overrides,
  };
}

export function aPracticeItem(
  overrides: Partial<Extract<ItemInput, { kind: 'practice' }>> = {},
): ItemInput {
  return {
    kind: 'practice',
    id: 'dashboard-decision',
    dimension: 'ways',
    prompt: 'Which decision does the dashboard support?',
    rating: { question: 'How well?', lowLabel: 'Badly', highLabel: 'Well' },
    ...overrides,
  };
}

export function aDcfItem(overrides: Partial<Extract<ItemInput, { kind: 'dcf' }>> = {}): ItemInput {
  return {
    kind: 'dcf',
    id: 'effort',
    dimension: 'ways',
    prompt: 'Classify the aspects.',
    guidance: 'More than two drivers puts the effort at risk.',
    aspects: [
      { key: 'scope', label: 'Scope' },
      { key: 'date', label: 'Date' },
      { key: 'cost', label: 'Cost' },
    ],
    ...overrides,
  };
}

/** A valid definition with one item of each kind in one dimension. */
export function aDefinition(overrides: Partial<DefinitionInput> = {}): DefinitionInput {
  return {
    slug: 'test-questionnaire',
    version: 1,
    title: 'Test questionnaire',
    summary: 'For tests.',
    language: 'en',
    dimensions: [{ key: 'ways', label: 'Ways of working', description: 'How we work.' }],
    sections: [
      {
        id: 'main',
        title: 'Main',
        items: [aTensionItem(), aMaturityItem(), aPracticeItem(), aDcfItem()],
      },
    ],
    ...overrides,
  };
}

const builtin = (slug: string) =>
  loadBuiltinDefinitions(path.join(CONTENT_DIR, 'questionnaires')).find((d) => d.slug === slug)!;

/** The aspect keys of the built-in "Drivers, constraints and floats" check, from its file. */
export const DCF_ASPECTS: readonly string[] = builtin('drivers-constraints-floats')
  .sections.flatMap((s) => s.items)
  .flatMap((i) => (i.kind === 'dcf' ? i.aspects.map((a) => a.key) : []));

/** The item ids of the built-in "Tensions in how we work", from its file. */
export const TENSION_ITEMS: readonly string[] = builtin('tensions-in-how-we-work').sections.flatMap(
  (s) => s.items.map((i) => i.id),
);

/** A complete API answer to that check: its sentence, and every aspect a float. */
export const aDcfAnswer = (text: string) => ({
  answers: [
    { itemId: 'effort-in-one-sentence', text },
    { itemId: 'effort-aspects', classes: Object.fromEntries(DCF_ASPECTS.map((a) => [a, 'float'])) },
  ],
});
