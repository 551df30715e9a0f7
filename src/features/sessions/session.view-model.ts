import type { SessionStatus, Stage } from './session.service';

/** The session as the API answers it: the state, the step and the count. */
export function toSessionDto(status: SessionStatus, stage: Stage | null, presenterUrl: string) {
  const { session, participation } = status;
  return {
    state: status.state,
    step: status.state === 'revealed' ? session.step : null,
    steps: stage ? stage.order.length : null,
    itemId: status.state === 'revealed' ? (stage?.itemId ?? null) : null,
    n: participation.n,
    expected: participation.expected,
    kReached: participation.kReached,
    missingForK: participation.missingForK,
    presenterUrl,
    startedAt: session.startedAt.toISOString(),
  };
}
