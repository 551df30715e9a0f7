/** What a respondent's browser sends: the page's key, and a complete answer. */

/** The respondent key the form carries in its hidden field. */
export const keyOf = (html: string) => /name="respondentKey" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** A complete answer to "Drivers, constraints and floats", as the form sends it. */
export const dcfForm = (key: string, overrides: Record<string, string> = {}) => ({
  respondentKey: key,
  'effort-in-one-sentence.text': 'Ship the <b>new</b> onboarding',
  'effort-aspects.scope': 'driver',
  'effort-aspects.date': 'constraint',
  'effort-aspects.cost': 'float',
  'effort-aspects.quality': 'driver',
  'effort-aspects.user-experience': 'float',
  'effort-aspects.technical-approach': 'float',
  'effort-aspects.risk-compliance': 'constraint',
  'effort-aspects.learning': 'float',
  'what-could-float.text': '',
  ...overrides,
});
