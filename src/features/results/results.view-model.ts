import { teamMinGroupSize } from '../reports';
import { roundUrl, type Round, type RoundStatus } from '../rounds';
import type { SharedLink } from './results.service';

/** The coach's page of a round's team results link. */
export function resultsLinkUrl(roundId: string): string {
  return `${roundUrl(roundId)}/results-link`;
}

/** What the coach's page of a round's team results link shows. */
export function toResultsLinkPage(input: {
  round: Round;
  status: RoundStatus;
  link: SharedLink | null;
}) {
  const { round, status, link } = input;
  const url = resultsLinkUrl(round.id);
  return {
    title: `Team results link: ${round.title}`,
    roundTitle: round.title,
    roundUrl: roundUrl(round.id),
    /** The k of the team's page, which a named round gets too. */
    minGroupSize: teamMinGroupSize(round),
    named: round.anonymity === 'named',
    /** Only a closed round's results are shared: while open, its figures still change. */
    closed: status === 'closed',
    link: link && { url: link.url, createdAt: link.createdAt, qrUrl: `${url}/qr.svg` },
    createAction: url,
    revokeAction: `${url}/revoke`,
  };
}
