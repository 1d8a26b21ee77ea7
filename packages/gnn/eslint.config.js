import plexus from '@plexus/eslint-config';

// test/fixtures holds binary Planetoid files (ind.*.test.index looks like code to eslint).
export default [...plexus, { name: 'gnn/fixtures', ignores: ['test/fixtures/planetoid-py3/**'] }];
