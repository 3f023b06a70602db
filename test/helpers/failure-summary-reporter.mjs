// A node:test reporter that prints only the failed tests, after the run, beside the TAP stream.
// CI keeps only the tail of a long run's output; without this a failure deep in the TAP stream is
// reported as a bare "# fail 1" with no name. Plain JavaScript: reporters load before tsx's hooks.

/** @param {unknown} error */
function describeError(error) {
  if (!(error instanceof Error)) return String(error);
  // node:test wraps the test's own error as the cause of an ERR_TEST_FAILURE.
  const inner = error.cause instanceof Error ? error.cause : error;
  return (inner.stack ?? inner.message).split('\n').slice(0, 12).join('\n');
}

/** @param {AsyncIterable<{ type: string, data: any }>} source */
export default async function* failureSummary(source) {
  const failures = [];
  for await (const event of source) {
    if (event.type !== 'test:fail') continue;
    const { name, nesting, file, line, details } = event.data;
    const where = file ? `${file}${line ? `:${line}` : ''}` : '(no file)';
    const indent = '  '.repeat(nesting);
    const message = describeError(details.error).replace(/^/gm, `${indent}    `);
    failures.push(`${indent}✖ ${name}  [${where}]\n${message}`);
  }
  if (failures.length === 0) return;
  yield `\n==== failed tests (${failures.length}, suites included)\n${failures.join('\n')}\n`;
}
