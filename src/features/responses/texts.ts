import type { AnswerDoc } from './response.model';
import type { ResponseText } from './response.types';

/** The free texts of one response: only item ids and texts, and the name in named rounds. */
export function textsIn(
  response: Readonly<{ answers: readonly AnswerDoc[]; respondentName?: string }>,
): ResponseText[] {
  return response.answers.flatMap((a) =>
    a.text
      ? [
          {
            itemId: a.itemId,
            text: a.text,
            ...(response.respondentName ? { name: response.respondentName } : {}),
          },
        ]
      : [],
  );
}
