import { QuestionnaireDefinition } from '../../../src/features/questionnaires';
import {
  checkAnswers,
  fieldOfPath,
  formToInput,
  toAnswerInputs,
  toFormValues,
  toStoredAnswers,
} from '../../../src/features/responses/answers';
import { ResponseInput } from '../../../src/features/responses/response.schemas';
import {
  aDcfItem,
  aDefinition,
  aMaturityItem,
  aPracticeItem,
  aTensionItem,
} from '../../support/factories';

/** One item of each kind: a tension asking where the team wants to be, a rated practice. */
const definition = QuestionnaireDefinition.parse(
  aDefinition({
    sections: [
      {
        id: 'main',
        title: 'Main',
        items: [
          aTensionItem({ id: 'pace', askDesired: true }),
          aMaturityItem({ id: 'level' }),
          aPracticeItem({ id: 'note', maxLength: 50 }),
          aDcfItem({ id: 'effort' }),
        ],
      },
    ],
  }),
);

const complete = {
  answers: [
    { itemId: 'pace', value: 2, desired: 5 },
    { itemId: 'level', value: 3 },
    { itemId: 'note', text: '  Honest  ', rating: 4 },
    { itemId: 'effort', classes: { scope: 'driver', date: 'constraint', cost: 'float' } },
  ],
};
const input = (value: unknown) => ResponseInput.parse(value);
const paths = (issues: readonly { path: string }[]) => issues.map((i) => i.path);

describe('checkAnswers', () => {
  it('accepts a complete answer, and a practice item left empty', () => {
    expect(checkAnswers(definition, input(complete), 'anonymous')).toEqual([]);
    const withoutNote = {
      answers: complete.answers.map((a) => (a.itemId === 'note' ? { itemId: 'note' } : a)),
    };
    expect(checkAnswers(definition, input(withoutNote), 'anonymous')).toEqual([]);
  });

  it('names every problem by its path: missing, out of range, wrong field, too long, unknown', () => {
    const issues = checkAnswers(
      definition,
      input({
        answers: [
          { itemId: 'pace', value: 8, rating: 3 },
          { itemId: 'note', text: 'x'.repeat(51), rating: 6 },
          { itemId: 'effort', classes: { scope: 'driver', colour: 'float' } },
          { itemId: 'ghost', value: 1 },
        ],
      }),
      'anonymous',
    );

    expect(paths(issues)).toEqual([
      'answers.0.rating',
      'answers.0.value',
      'answers.1.text',
      'answers.1.rating',
      'answers.2.classes.date',
      'answers.2.classes.cost',
      'answers.2.classes.colour',
      'answers.3.itemId',
      'answers',
    ]);
    expect(issues.at(-1)?.message).toBe('Item "level" needs an answer');
  });

  it('refuses an item answered twice', () => {
    const twice = { answers: [...complete.answers, { itemId: 'level', value: 2 }] };
    expect(checkAnswers(definition, input(twice), 'anonymous')).toEqual([
      { path: 'answers.4.itemId', message: 'Item "level" is answered twice' },
    ]);
  });

  it('asks for a name in a named round, and refuses one in an anonymous round', () => {
    expect(paths(checkAnswers(definition, input(complete), 'named'))).toEqual(['name']);
    expect(
      paths(checkAnswers(definition, input({ ...complete, role: 'Dev' }), 'anonymous')),
    ).toEqual(['role']);
  });
});

describe('the "why?" of a tension', () => {
  const withWhy = (comment: string) => ({
    answers: complete.answers.map((a) => (a.itemId === 'pace' ? { ...a, comment } : a)),
  });

  it('is stored as the answer’s text, trimmed, and comes back as the comment', () => {
    const stored = toStoredAnswers(definition, input(withWhy('  We plan too far ahead  ')));
    expect(stored[0]).toEqual({
      itemId: 'pace',
      value: 2,
      desired: 5,
      text: 'We plan too far ahead',
    });
    expect(toAnswerInputs(definition, stored)[0]).toEqual({
      itemId: 'pace',
      value: 2,
      desired: 5,
      comment: 'We plan too far ahead',
    });
  });

  it('is refused past 500 characters, and on any other kind of item', () => {
    expect(paths(checkAnswers(definition, input(withWhy('x'.repeat(501))), 'anonymous'))).toEqual([
      'answers.0.comment',
    ]);
    const onLevel = {
      answers: complete.answers.map((a) => (a.itemId === 'level' ? { ...a, comment: 'Hm' } : a)),
    };
    expect(paths(checkAnswers(definition, input(onLevel), 'anonymous'))).toEqual([
      'answers.1.comment',
    ]);
  });
});

describe('toStoredAnswers and back', () => {
  it('trims texts, drops empty optional answers, and records the dcf verdict', () => {
    const stored = toStoredAnswers(definition, input(complete));

    expect(stored).toEqual([
      { itemId: 'pace', value: 2, desired: 5 },
      { itemId: 'level', value: 3 },
      { itemId: 'note', text: 'Honest', value: 4 },
      {
        itemId: 'effort',
        classes: [
          { aspect: 'scope', class: 'driver' },
          { aspect: 'date', class: 'constraint' },
          { aspect: 'cost', class: 'float' },
        ],
        atRisk: true,
      },
    ]);
  });

  it('gives a respondent their answer in the shape they sent it', () => {
    const stored = toStoredAnswers(definition, input(complete));
    expect(toAnswerInputs(definition, stored)).toEqual([
      { itemId: 'pace', value: 2, desired: 5 },
      { itemId: 'level', value: 3 },
      { itemId: 'note', text: 'Honest', rating: 4 },
      { itemId: 'effort', classes: { scope: 'driver', date: 'constraint', cost: 'float' } },
    ]);
  });
});

describe('the form', () => {
  const form = {
    'pace.value': '2',
    'pace.desired': '5',
    'level.value': 'three',
    'note.text': 'Honest',
    'note.rating': '',
    'effort.scope': 'driver',
    respondentName: 'Chloé',
  };

  it('becomes the API input in questionnaire order, numbers as numbers and the rest as sent', () => {
    expect(formToInput(definition, form)).toEqual({
      answers: [
        { itemId: 'pace', value: 2, desired: 5 },
        { itemId: 'level', value: 'three' },
        { itemId: 'note', text: 'Honest' },
        { itemId: 'effort', classes: { scope: 'driver' } },
      ],
      name: 'Chloé',
    });
  });

  it('is filled again from stored answers', () => {
    expect(
      toFormValues([
        { itemId: 'pace', value: 2, desired: 5 },
        { itemId: 'note', text: 'Honest', rating: 4 },
        { itemId: 'effort', classes: { scope: 'driver' } },
      ]),
    ).toEqual({
      'pace.value': '2',
      'pace.desired': '5',
      'note.text': 'Honest',
      'note.rating': '4',
      'effort.scope': 'driver',
    });
  });

  it('maps an error path to the field it names, or to none', () => {
    expect(fieldOfPath(definition, 'answers.1.value')).toBe('level.value');
    expect(fieldOfPath(definition, 'answers.3.classes.date')).toBe('effort.date');
    expect(fieldOfPath(definition, 'name')).toBe('respondentName');
    expect(fieldOfPath(definition, 'answers.0.itemId')).toBeNull();
    expect(fieldOfPath(definition, 'answers.9.value')).toBeNull();
    expect(fieldOfPath(definition, 'answers')).toBeNull();
  });
});

describe('"can\'t say"', () => {
  const cantSay = {
    answers: [
      { itemId: 'pace', cantSay: true, comment: 'New here' },
      { itemId: 'level', cantSay: true },
      ...complete.answers.slice(2),
    ],
  };

  it('answers a tension or a maturity item without a value, and is stored so', () => {
    expect(checkAnswers(definition, input(cantSay), 'anonymous')).toEqual([]);
    const stored = toStoredAnswers(definition, input(cantSay));
    expect(stored.slice(0, 2)).toEqual([
      { itemId: 'pace', cantSay: true, text: 'New here' },
      { itemId: 'level', cantSay: true },
    ]);
    expect(toAnswerInputs(definition, stored).slice(0, 2)).toEqual(cantSay.answers.slice(0, 2));
  });

  it('goes with no value, and on no other kind of item', () => {
    const issues = checkAnswers(
      definition,
      input({
        answers: [
          { itemId: 'pace', cantSay: true, value: 3, desired: 5 },
          { itemId: 'level', cantSay: true, value: 2 },
          { itemId: 'note', text: 'x', cantSay: true },
          { ...complete.answers[3], cantSay: true },
        ],
      }),
      'anonymous',
    );
    expect(paths(issues)).toEqual([
      'answers.0.value',
      'answers.0.desired',
      'answers.1.value',
      'answers.2.cantSay',
      'answers.3.cantSay',
    ]);
    expect(issues[0]!.message).toBe(
      '“Can’t say” goes without a "value": choose a point or “Can’t say”, not both',
    );
  });

  it('is the scale choice "cant-say" on the form, and filled in again', () => {
    const answers = (
      formToInput(definition, { 'pace.value': 'cant-say', 'level.value': 'cant-say' }) as {
        answers: unknown[];
      }
    ).answers;
    expect(answers.slice(0, 2)).toEqual([
      { itemId: 'pace', cantSay: true },
      { itemId: 'level', cantSay: true },
    ]);
    expect(toFormValues([{ itemId: 'level', cantSay: true }])).toEqual({
      'level.value': 'cant-say',
    });
  });
});
