import {
  capabilitiesOf,
  FERRETDB_CAPABILITIES,
  MONGODB_CAPABILITIES,
} from '../../../src/shared/db/capabilities';

describe('capabilitiesOf', () => {
  it('knows FerretDB by the field it adds to buildInfo', () => {
    // As FerretDB 1.24 answers (abridged).
    expect(capabilitiesOf({ version: '7.0.42', ferretdbVersion: 'unknown', ok: 1 })).toEqual(
      FERRETDB_CAPABILITIES,
    );
  });

  it('takes any other server for MongoDB: isolated updates, queries by index', () => {
    expect(capabilitiesOf({ version: '8.0.4', gitVersion: 'abc', ok: 1 })).toEqual(
      MONGODB_CAPABILITIES,
    );
    expect(MONGODB_CAPABILITIES).toMatchObject({ isolatedUpdates: true, indexedQueries: true });
    expect(FERRETDB_CAPABILITIES).toMatchObject({ isolatedUpdates: false, indexedQueries: false });
  });
});
