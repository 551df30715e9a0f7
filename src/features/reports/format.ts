/** How the report pages write numbers: fixed decimals, percentages, changes with their sign. */

export const fmt = (value: number | null | undefined, digits = 2) =>
  value === null || value === undefined ? '–' : value.toFixed(digits);

export const pct = (share: number | null | undefined) =>
  share === null || share === undefined ? '–' : `${Math.round(share * 100)} %`;

/** A change with its sign: "+0.80", "−1.20" (a real minus sign), "±0.00". */
export const signed = (value: number, digits = 2) =>
  value > 0
    ? `+${value.toFixed(digits)}`
    : value < 0
      ? `−${(-value).toFixed(digits)}`
      : `±${(0).toFixed(digits)}`;
