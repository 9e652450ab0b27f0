// The ketnap GraphQL IDE: GraphiQL 5 with its Monaco editors, bundled by build.mjs into files the
// ketnap binary serves under /ide/. Nothing is loaded from anywhere else: the editor's web workers
// are /ide/*.worker.js and its icon font is inlined into ide.css.

import { createElement as h, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { useGraphiQL, useGraphiQLActions } from '@graphiql/react';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import 'graphiql/style.css';

// Monaco asks for a worker per language; each is a bundle of its own, served by ketnap.
globalThis.MonacoEnvironment = {
  getWorker(_workerId, label) {
    switch (label) {
      case 'json':
        return new Worker('/ide/json.worker.js');
      case 'graphql':
        return new Worker('/ide/graphql.worker.js');
      default:
        return new Worker('/ide/editor.worker.js');
    }
  },
};

/** How long the headers must rest before the schema is fetched again with them (ms). */
const HEADERS_SETTLE_MS = 600;

/**
 * Fetches the schema again whenever the request headers change to a different, valid JSON value:
 * outside the demo the first introspection fails without a token, and pasting
 * {"Authorization": "Bearer …"} into the Headers tab must be enough to get the schema.
 */
function RefetchSchemaOnHeaders() {
  const headerEditor = useGraphiQL((state) => state.headerEditor);
  const { introspect } = useGraphiQLActions();
  useEffect(() => {
    if (!headerEditor) return undefined;
    let last = normalised(headerEditor.getValue());
    let timer;
    const subscription = headerEditor.onDidChangeModelContent(() => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const now = normalised(headerEditor.getValue());
        if (now !== undefined && now !== last) {
          last = now;
          introspect();
        }
      }, HEADERS_SETTLE_MS);
    });
    return () => {
      clearTimeout(timer);
      subscription.dispose();
    };
  }, [headerEditor, introspect]);
  return null;
}

/** The headers as canonical JSON text, or undefined while they are not a JSON object. */
function normalised(text) {
  if (!text || !text.trim()) return '{}';
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? JSON.stringify(value) : undefined;
  } catch {
    return undefined;
  }
}

const defaultQuery = [
  '# ketnap — GraphQL API for party member development:',
  '# the organisation tree, the admission pipeline, targets and attainment.',
  '#',
  '# Type a query here and press Ctrl-Enter (or the ▶ button) to run it.',
  '# Open the Docs panel (left) to browse the schema.',
  '# Authenticated calls: put your token in the Headers tab below, e.g.',
  '#   {"Authorization": "Bearer <token>"}',
  '# and the schema is fetched again with it.',
  '',
  '{ provinces(first: 10) { nodes { code name } } }',
  '',
].join('\n');

// Post to the very path this page was served from (the GraphQL endpoint).
const fetcher = createGraphiQLFetcher({ url: window.location.pathname });

createRoot(document.getElementById('graphiql')).render(
  h(
    GraphiQL,
    {
      fetcher,
      defaultQuery,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
      defaultEditorToolsVisibility: 'headers',
    },
    h(GraphiQL.Footer, null, h(RefetchSchemaOnHeaders)),
  ),
);
