import {
  actionInputFromForm,
  poleText,
  toNewActionView,
} from '../../../src/features/actions/action.view-model';

const tension = {
  id: 'pace',
  number: 1,
  kind: 'tension' as const,
  title: 'Pace',
  left: 'Slow',
  right: 'Fast',
};
const maturity = {
  id: 'level',
  number: 2,
  kind: 'maturity' as const,
  title: 'Level',
  left: null,
  right: null,
};

describe('actionInputFromForm', () => {
  it('keeps absent fields absent, empty choices as null, and CRLF line breaks as one', () => {
    const input = actionInputFromForm(
      { title: 'T', itemId: '', pole: '', dueOn: '', notes: 'a\r\nb', owner: '' },
      ['sourceRoundId', 'itemId', 'pole', 'title', 'owner', 'dueOn', 'notes'],
    );
    expect(input).toEqual({
      title: 'T',
      itemId: null,
      pole: null,
      dueOn: null,
      notes: 'a\nb',
      owner: '',
    });
  });
});

describe('poleText', () => {
  it('names the pole to move towards, and nothing without a pole or an item', () => {
    expect(poleText({ pole: 'right', item: tension })).toBe('towards “Fast”');
    expect(poleText({ pole: null, item: tension })).toBeNull();
    expect(poleText({ pole: 'left', item: null })).toBeNull();
  });
});

describe('toNewActionView', () => {
  const base = {
    team: { id: 't', name: 'Team' },
    rounds: [
      { id: 'r2', title: 'Autumn' },
      { id: 'r1', title: 'Spring' },
    ],
    round: { id: 'r2', title: 'Autumn' },
    items: [tension, maturity],
  };

  it('offers the pole of the chosen tension by its label, and goes back to its report item', () => {
    const view = toNewActionView({
      ...base,
      values: { sourceRoundId: 'r2', itemId: 'pace', from: 'report' },
    });
    expect(view.pole?.options.map((o) => o.label)).toEqual([
      'No target pole',
      'Towards “Slow”',
      'Towards “Fast”',
    ]);
    expect(view.backUrl).toBe('/reports/rounds/r2#item-pace');
    expect(view.chosenItem).toBe('1. Pace');
  });

  it('keeps the pole field beside its error when a pole was sent for a maturity item', () => {
    const view = toNewActionView({
      ...base,
      values: { sourceRoundId: 'r2', itemId: 'level', pole: 'left' },
    });
    expect(view.pole).not.toBeNull();
    expect(view.pole?.options.find((o) => o.selected)?.value).toBe('left');
  });

  it('falls back to the newest round, and to the team page, for a round it does not offer', () => {
    const view = toNewActionView({
      ...base,
      values: { sourceRoundId: 'someone-elses', from: 'report' },
    });
    expect(view.round.options.find((o) => o.selected)?.value).toBe('r2');
    expect(view.backUrl).toBe('/teams/t#actions');
  });
});
