import { fieldId, keptValues, toField, toFormErrors } from '../../../src/shared/views/forms';

describe('toFormErrors', () => {
  it('links each problem to its field, with a readable label, and keeps the first message per field', () => {
    const errors = toFormErrors(
      [
        { path: 'teamId', message: 'Choose a team' },
        { path: 'minGroupSize', message: 'Use a whole number' },
        { path: 'minGroupSize', message: 'Second problem' },
        { path: 'questionnaire.slug', message: 'Choose a questionnaire' },
        { path: '(root)', message: 'Something about the whole form' },
      ],
      ['teamId', 'minGroupSize', 'questionnaire'],
    );

    expect(errors.summary).toEqual([
      { message: 'Team: Choose a team', href: '#field-teamId' },
      { message: 'Min group size: Use a whole number', href: '#field-minGroupSize' },
      { message: 'Min group size: Second problem', href: '#field-minGroupSize' },
      { message: 'Questionnaire: Choose a questionnaire', href: '#field-questionnaire' },
      { message: 'Something about the whole form', href: null },
    ]);
    expect(errors.byField).toEqual({
      teamId: 'Choose a team',
      minGroupSize: 'Use a whole number',
      questionnaire: 'Choose a questionnaire',
    });
  });
});

describe('toField', () => {
  const errors = toFormErrors([{ path: 'email', message: 'Enter an email' }], ['email']);

  it('fills the value and the error, and wires aria-describedby to hint and error', () => {
    expect(
      toField(
        { name: 'email', label: 'Email', hint: 'Work address' },
        { values: { email: 'a@' }, errors },
      ),
    ).toMatchObject({
      id: 'field-email',
      value: 'a@',
      error: 'Enter an email',
      describedBy: 'field-email-hint field-email-error',
    });
  });

  it('never fills a password field', () => {
    expect(
      toField({ name: 'password', label: 'P', type: 'password' }, { values: { password: 'x' } })
        .value,
    ).toBe('');
  });

  it('has no aria-describedby without hint or error', () => {
    expect(toField({ name: 'name', label: 'Name' }, {}).describedBy).toBeUndefined();
  });
});

describe('keptValues', () => {
  it('keeps string fields but never passwords or the CSRF token', () => {
    expect(
      keptValues({ name: 'Sam', password: 'secret', newPassword: 'x', _csrf: 't', n: 3 }),
    ).toEqual({ name: 'Sam' });
  });
});

describe('fieldId', () => {
  it('turns a dotted path into a safe id', () => {
    expect(fieldId('answers.3.value')).toBe('field-answers-3-value');
  });
});
