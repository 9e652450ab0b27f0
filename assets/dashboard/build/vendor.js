// The libraries the dashboard page uses, bundled into one ES module (../vendor.js) by build.mjs:
// Chart.js for the charts and the graphql-ws client for live updates. The page's own code
// (../dashboard.js) is not bundled: it is plain JavaScript, edited in place.
export { Chart, registerables } from 'chart.js';
export { createClient } from 'graphql-ws';
