/** CloudMonitor's view of ECS events (src/domain/cms-events.ts): categories, keyword search, filters, histogram. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  answered, categoryOf, histogram, keywordMatcher, matches, noticeAsCms, spotInterruptionContent, SPOT_INTERRUPTION_EVENT, systemEventAsCms, type CmsEvent,
} from '../../src/domain/cms-events.js';

const R = { arn: 'acs:ecs:cn-hangzhou:1:instance/i-a', instanceId: 'i-a', instanceName: 'web', regionId: 'cn-hangzhou' };
const spot = noticeAsCms({ id: 'n1', name: SPOT_INTERRUPTION_EVENT, content: spotInterruptionContent('i-a', 'Terminate'), time: 1000 }, R);
const reboot = systemEventAsCms({ id: 'e-1', eventType: 'SystemFailure.Reboot', cycleStatus: 'Executing', publishTime: 2000, notBefore: 2000, reason: '' }, R);

describe('cms events', () => {
  it('categorises ECS event types', () => {
    for (const [type, category, level] of [
      ['SystemFailure.Stop', 'Exception', 'CRITICAL'], ['InstanceFailure.Reboot', 'Exception', 'CRITICAL'],
      ['SystemMaintenance.Redeploy', 'Maintenance', 'WARN'], ['InstanceExpiration.Stop', 'StatusNotification', 'WARN'],
      ['AccountUnbalanced.Delete', 'StatusNotification', 'WARN'],
    ] as const) assert.deepEqual(categoryOf(type), { EventType: category, Level: level }, type);
  });

  it('shapes a system event and a spot notice', () => {
    assert.deepEqual([reboot.Name, reboot.Status, reboot.Level, reboot.Time], ['Instance:SystemFailure.Reboot:Executing', 'Executing', 'CRITICAL', 2000]);
    assert.deepEqual(JSON.parse(reboot.Content), {
      eventId: 'e-1', publishTime: '1970-01-01T00:00:02Z', notBefore: '1970-01-01T00:00:02Z', instanceId: 'i-a', eventType: 'SystemFailure.Reboot', eventStatus: 'Executing',
    });
    assert.deepEqual([spot.Name, spot.Status, spot.Level, JSON.parse(spot.Content)], [SPOT_INTERRUPTION_EVENT, 'Normal', 'WARN', { instanceId: 'i-a', action: 'delete' }]);
    assert.equal(JSON.parse(spotInterruptionContent('i-a', 'Stop')).action, 'stop');
    assert.ok(!('EventType' in answered(spot)), 'the category is no field of the answer');
  });

  it('searches keywords with and / or', () => {
    const cases: [string, CmsEvent, boolean | 'mixed'][] = [
      ['', spot, true], ['i-a', spot, true], ['I-A and DELETE', spot, true], ['i-a and stop', spot, false],
      ['stop or delete', spot, true], ['stop or nothing', spot, false], ['web', spot, true], ['a and b or c', spot, 'mixed'],
    ];
    for (const [expr, e, want] of cases) {
      const m = keywordMatcher(expr);
      assert.equal(m === 'mixed' ? 'mixed' : m(e), want, expr);
    }
  });

  it('filters on the named fields and the time range', () => {
    const cases: [Parameters<typeof matches>[1], boolean][] = [
      [{}, true], [{ product: 'ecs' }, true], [{ product: 'RDS' }, false], [{ level: 'WARN' }, true], [{ level: 'INFO' }, false],
      [{ status: 'Normal' }, true], [{ eventType: 'StatusNotification' }, true], [{ eventType: 'Exception' }, false],
      [{ name: SPOT_INTERRUPTION_EVENT }, true], [{ from: 1000, to: 1000 }, true], [{ from: 1001 }, false], [{ to: 999 }, false],
    ];
    for (const [f, want] of cases) assert.equal(matches(spot, f), want, JSON.stringify(f));
  });

  it('cuts the range into equal segments', () => {
    const bars = histogram([0, 9, 10, 99, 100, 101, -1], 0, 100);
    assert.equal(bars.length, 10);
    assert.deepEqual(bars.map((b) => b.Count), [2, 1, 0, 0, 0, 0, 0, 0, 0, 2]);
    assert.deepEqual([bars[0]!.StartTime, bars[0]!.EndTime, bars[9]!.EndTime], [0, 10, 100]);
    const odd = histogram([104], 0, 105);
    assert.deepEqual([odd.length, odd[9]!.StartTime, odd[9]!.EndTime, odd[9]!.Count], [10, 90, 105, 1], 'the last takes the remainder');
    assert.deepEqual(histogram([5], 5, 5).map((b) => b.Count), [1], 'an empty range is one segment');
  });
});
