import { Router } from 'express';
import { NotFoundError } from '../../shared/errors';
import { parseInput } from '../../shared/http/validate';
import { LinkTokenParams, RespondentKey } from './response.schemas';
import type { ResponseService } from './response.service';

const EDIT_KEY_HEADER = 'x-edit-key';

/** JSON under /api/v1/r: answering a round through its link, for other front ends. No account. */
export function createResponseApiRouter({ responses }: { responses: ResponseService }): Router {
  const router = Router();
  const editKey = (value: string | undefined) => parseInput(RespondentKey, value ?? '');

  /** GET /r/:token — the open round and its questionnaire */
  router.get('/:token', async (req, res) => {
    const { token } = parseInput(LinkTokenParams, req.params);
    const { round, definition, teamName } = await responses.openRound(token, req.ip ?? 'unknown');
    res.json({
      round: {
        title: round.title,
        teamName,
        anonymity: round.anonymity,
        closesAt: round.closesAt?.toISOString() ?? null,
      },
      questionnaire: definition,
    });
  });

  /**
   * POST /r/:token — submit an answer; 201 with the edit key (shown only now). A client may
   * send a key of its own in X-Edit-Key: retrying with it after a lost answer (timeout, 503)
   * stores one response, not two (200 when it replaced the earlier one).
   */
  router.post('/:token', async (req, res) => {
    const { token } = parseInput(LinkTokenParams, req.params);
    const supplied = req.get(EDIT_KEY_HEADER);
    const ip = req.ip ?? 'unknown';
    const open = await responses.openRound(token, ip);
    const { key, day, outcome } = await responses.submit(open, req.body, {
      ip,
      ...(supplied === undefined ? {} : { key: editKey(supplied) }),
    });
    res.status(outcome === 'created' ? 201 : 200).json({ editKey: key, day });
  });

  /** PUT /r/:token — revise the answer of the X-Edit-Key */
  router.put('/:token', async (req, res) => {
    const { token } = parseInput(LinkTokenParams, req.params);
    const key = editKey(req.get(EDIT_KEY_HEADER));
    const ip = req.ip ?? 'unknown';
    const open = await responses.openRound(token, ip);
    res.json(await responses.revise(open, req.body, { key, ip }));
  });

  /** GET /r/:token/response — the answer of the X-Edit-Key */
  router.get('/:token/response', async (req, res) => {
    const { token } = parseInput(LinkTokenParams, req.params);
    const key = editKey(req.get(EDIT_KEY_HEADER));
    const open = await responses.openRound(token, req.ip ?? 'unknown');
    const answer = await responses.answerOf(open, key);
    if (!answer)
      throw new NotFoundError(
        'RESPONSE_NOT_FOUND',
        'There is no answer for this edit key in this round.',
      );
    res.json(answer);
  });

  return router;
}
