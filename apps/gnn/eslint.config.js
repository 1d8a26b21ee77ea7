import plexus from '@plexus/eslint-config';

export default plexus;
