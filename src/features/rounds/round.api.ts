import { Router } from 'express';
import { parseInput } from '../../shared/http/validate';
import { apiActor } from '../accounts';
import type { Actor } from '../workspaces';
import { RoundIdParams, RoundListQuery } from './round.schemas';
import type { RoundService } from './round.service';
import type { ResponseCounter, Round, TeamSizes } from './round.types';
import { toRoundDto } from './round.view-model';

/** JSON under /api/v1/rounds. */
export function createRoundApiRouter({
  rounds,
  responses,
  teams,
}: {
  rounds: RoundService;
  responses: ResponseCounter;
  teams: TeamSizes;
}): Router {
  const router = Router();

  async function dtos(actor: Actor, list: readonly Round[]) {
    const [counts, sizes] = await Promise.all([
      responses.countByRound(list.map((r) => r.id)),
      teams.getMany(actor, [...new Set(list.map((r) => r.teamId))]),
    ]);
    const expected = new Map(sizes.map((t) => [t.id, t.expectedSize]));
    return list.map((r) =>
      toRoundDto(
        r,
        rounds.effectiveStatus(r),
        counts.get(r.id) ?? 0,
        actor.role,
        expected.get(r.teamId) ?? null,
      ),
    );
  }
  const one = async (actor: Actor, round: Round) => (await dtos(actor, [round]))[0];

  /** GET /rounds?teamId=&status= — viewer */
  router.get('/', async (req, res) => {
    const actor = apiActor(res);
    const filter = parseInput(RoundListQuery, req.query);
    res.json({ items: await dtos(actor, await rounds.list(actor, filter)) });
  });

  /** POST /rounds — coach */
  router.post('/', async (req, res) => {
    const actor = apiActor(res);
    res.status(201).json(await one(actor, await rounds.create(actor, req.body)));
  });

  /** GET /rounds/:roundId — viewer */
  router.get('/:roundId', async (req, res) => {
    const actor = apiActor(res);
    const { roundId } = parseInput(RoundIdParams, req.params);
    res.json(await one(actor, await rounds.get(actor, roundId)));
  });

  for (const action of ['open', 'close', 'rotate-link'] as const) {
    /** POST /rounds/:roundId/open | close | rotate-link — coach */
    router.post(`/:roundId/${action}`, async (req, res) => {
      const actor = apiActor(res);
      const { roundId } = parseInput(RoundIdParams, req.params);
      const round =
        action === 'open'
          ? await rounds.open(actor, roundId)
          : action === 'close'
            ? await rounds.close(actor, roundId)
            : await rounds.rotateLink(actor, roundId);
      res.json(await one(actor, round));
    });
  }

  return router;
}
