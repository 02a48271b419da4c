// Child process: loads the built authorizer (its path in argv[2]) with this process's environment (as Lambda would) and answers events over IPC.
'use strict';

let handler;
try {
  ({ handler } = require(process.argv[2]));
} catch (err) {
  process.send({ type: 'failed', name: err.name, message: err.message });
  process.exit(1);
}
process.on('message', (msg) => {
  Promise.resolve()
    .then(() => handler(msg.event))
    .then(
      (result) => process.send({ type: 'answer', id: msg.id, result }),
      (err) => process.send({ type: 'answer', id: msg.id, error: err instanceof Error ? err.message : String(err) }),
    );
});
process.on('disconnect', () => process.exit(0));
process.send({ type: 'ready' });
