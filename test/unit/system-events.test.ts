/** The system event lifecycle and health rules (src/domain/system-events.ts), and the metadata paths that serve events. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  advance, CYCLE_STATUS_CODES, EVENT_TYPE_CODES, instanceHealth, SIMULATED_EXECUTION_MS, simulatedStart, type CycleStatus,
} from '../../src/domain/system-events.js';
import { answerMetadata, needsSystemEvents, type InstanceMetadata } from '../../src/network/metadata.js';

const T = 1_000_000;

test('a simulated event starts Scheduled (maintenance) or Executing (failures)', () => {
  const cases: [string, string, number][] = [
    ['SystemMaintenance.Reboot', 'Scheduled', T + SIMULATED_EXECUTION_MS],
    ['SystemMaintenance.Stop', 'Scheduled', T + SIMULATED_EXECUTION_MS],
    ['SystemFailure.Reboot', 'Executing', T],
    ['InstanceFailure.Reboot', 'Executing', T],
  ];
  for (const [type, status, end] of cases) {
    const s = simulatedStart(type, T);
    assert.deepEqual([s.status, s.executeEnd, s.nextAt], [status, end, T], type);
  }
});

test('advance: each status at each time (table)', () => {
  const end = T + 180_000;
  const cases: [CycleStatus, number, CycleStatus, number | null][] = [
    ['Scheduled', T - 1, 'Scheduled', T],
    ['Scheduled', T, 'Executing', end],
    ['Scheduled', end, 'Executed', null],
    ['Executing', end - 1, 'Executing', end],
    ['Executing', end + 99, 'Executed', null],
    ['Canceled', end, 'Canceled', null],
    ['Avoided', end, 'Avoided', null],
    ['Executed', end, 'Executed', null],
  ];
  for (const [from, now, to, nextAt] of cases) {
    const r = advance({ status: from, notBefore: T, executeEnd: end }, now);
    assert.deepEqual([r.status, r.nextAt], [to, nextAt], `${from} at ${now - T}`);
    if (to === 'Executed' && from !== 'Executed') assert.equal(r.finishedAt, end, 'finished at its end, not when the timer looked');
  }
});

test('instance health from its status and events (table)', () => {
  const cases: [string, string[], string][] = [
    ['Running', [], 'Ok'],
    ['Running', ['Scheduled'], 'Warning'],
    ['Running', ['Inquiring'], 'Warning'],
    ['Running', ['Scheduled', 'Executing'], 'Maintaining'],
    ['Starting', ['Scheduled'], 'Initializing'],
    ['Stopped', ['Scheduled'], 'NotApplicable'],
  ];
  for (const [status, events, health] of cases) assert.equal(instanceHealth(status, events), health, `${status} ${events}`);
});

test('the codes ECS documents', () => {
  assert.deepEqual([EVENT_TYPE_CODES['SystemMaintenance.Reboot'], EVENT_TYPE_CODES['InstanceExpiration.Stop'], EVENT_TYPE_CODES['SystemFailure.Reboot']], [1, 34, 65]);
  assert.deepEqual([CYCLE_STATUS_CODES.Executed, CYCLE_STATUS_CODES.Avoided, CYCLE_STATUS_CODES.Scheduled], [0, 8, 24]);
  assert.equal(new Set(Object.values(EVENT_TYPE_CODES)).size, Object.keys(EVENT_TYPE_CODES).length, 'distinct type codes');
  assert.equal(new Set(Object.values(CYCLE_STATUS_CODES)).size, Object.keys(CYCLE_STATUS_CODES).length, 'distinct status codes');
});

test('metadata: maintenance/active-system-events', () => {
  const m = { instanceId: 'i-1' } as InstanceMetadata;
  const ev = [{ EventId: 'e-1', EventType: 'SystemMaintenance.Reboot', EventCycleStatus: 'Scheduled', NotBefore: '2026-11-23T07:00:00Z', EventPublishTime: '2026-11-23T06:00:00Z', Reason: '' }];
  assert.equal(needsSystemEvents('/latest/maintenance/active-system-events'), true);
  assert.equal(needsSystemEvents('/latest/meta-data/instance-id'), false);
  assert.equal(String(answerMetadata(m, 'GET', '/latest/maintenance/').body), 'active-system-events');
  const a = answerMetadata(m, 'GET', '/latest/maintenance/active-system-events', undefined, ev);
  assert.deepEqual([a.status, a.contentType, JSON.parse(String(a.body))], [200, 'application/json', ev]);
  assert.deepEqual(JSON.parse(String(answerMetadata(m, 'GET', '/latest/maintenance/active-system-events').body)), []);
  assert.equal(answerMetadata(m, 'GET', '/latest/maintenance/other').status, 404);
  assert.equal(answerMetadata(undefined, 'GET', '/latest/maintenance/active-system-events').status, 404);
});
