import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EcsError } from '../../src/domain/errors.js';
import {
  checkTagKey, checkTagResourceType, checkTagValue, matchesTagPattern, tagFiltersFromParams, tagsFromParams, tagsMatchFilters,
} from '../../src/domain/tags.js';

const code = (fn: () => unknown): string | undefined => {
  try { fn(); } catch (e) { return (e as EcsError).code; }
  return undefined;
};

describe('tag keys (api-protocol.md §3.6, TagResources metadata)', () => {
  const cases: [string, string | undefined][] = [
    ['env', undefined], ['a'.repeat(128), undefined], ['Env:Prod', undefined], ['x-aliyun', undefined], ['myacs:key', undefined],
    ['', 'InvalidTagKey.Malformed'], ['a'.repeat(129), 'InvalidTagKey.Malformed'], ['aliyun', 'InvalidTagKey.Malformed'],
    ['aliyunKey', 'InvalidTagKey.Malformed'], ['ALIYUN-x', 'InvalidTagKey.Malformed'], ['acs:rm', 'InvalidTagKey.Malformed'],
    ['ACS:x', 'InvalidTagKey.Malformed'], ['see http://x', 'InvalidTagKey.Malformed'], ['https://x', 'InvalidTagKey.Malformed'],
  ];
  for (const [key, want] of cases) it(`${JSON.stringify(key).slice(0, 24)} → ${want ?? 'ok'}`, () => assert.equal(code(() => checkTagKey(key)), want));
});

describe('tag values', () => {
  const cases: [string, string | undefined][] = [
    ['', undefined], ['prod', undefined], ['a'.repeat(128), undefined], ['aliyun', undefined], ['x acs:y', undefined],
    ['a'.repeat(129), 'InvalidTagValue.Malformed'], ['acs:x', 'InvalidTagValue.Malformed'], ['go to http://x', 'InvalidTagValue.Malformed'],
    ['HTTPS://x', 'InvalidTagValue.Malformed'],
  ];
  for (const [value, want] of cases) it(`${JSON.stringify(value).slice(0, 24)} → ${want ?? 'ok'}`, () => assert.equal(code(() => checkTagValue(value)), want));
});

describe('Tag.N lists', () => {
  it('accepts Key/Value and the legacy key/value casing, and skips empty entries', () => {
    assert.deepEqual(tagsFromParams([{ Key: 'a', Value: '1' }, { key: 'b', value: '2' }, {}, { Key: 'c' }]),
      [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }, { Key: 'c', Value: '' }]);
  });
  it('a repeated key is Duplicate.TagKey', () => assert.equal(code(() => tagsFromParams([{ Key: 'a' }, { Key: 'a', Value: 'x' }])), 'Duplicate.TagKey'));
  it('a value without a key is InvalidTagKey.Malformed', () => assert.equal(code(() => tagsFromParams([{ Value: 'x' }])), 'InvalidTagKey.Malformed'));
});

describe('ResourceType values (lower case, as the API lists them)', () => {
  const cases: [string, boolean][] = [
    ['instance', true], ['disk', true], ['snapshot', true], ['image', true], ['securitygroup', true], ['eni', true], ['keypair', true],
    ['launchtemplate', true], ['snapshotpolicy', true], ['volume', true], ['ddh', true], ['reservedinstance', true],
    ['Instance', false], ['vpc', false], ['', false], ['toString', false], ['__proto__', false],
  ];
  for (const [type, ok] of cases) {
    it(`${JSON.stringify(type)} ${ok ? 'valid' : 'InvalidResourceType.NotFound'}`, () => assert.equal(code(() => checkTagResourceType(type)), ok ? undefined : 'InvalidResourceType.NotFound'));
  }
});

describe('TagFilter patterns (ListTagResources)', () => {
  const cases: [string, string, boolean][] = [
    ['env', 'env', true], ['env', 'environment', false], ['env*', 'environment', true], ['*ment', 'environment', true],
    ['*vir*', 'environment', true], ['*vir*', 'production', false], ['a.c', 'abc', false], ['a.c*', 'a.cd', true], ['*', '', true],
  ];
  for (const [pattern, text, ok] of cases) it(`${pattern} ~ ${text}: ${ok}`, () => assert.equal(matchesTagPattern(pattern, text), ok));

  const tags = [{ Key: 'env', Value: 'production' }, { Key: 'team', Value: 'core' }];
  const matchCases: [string, { key: string; values: string[] }[], boolean][] = [
    ['no filters', [], true],
    ['fuzzy key', [{ key: 'en*', values: [] }], true],
    ['exact key, fuzzy value', [{ key: 'env', values: ['prod*'] }], true],
    ['values of one key unite', [{ key: 'env', values: ['test', '*duct*'] }], true],
    ['no value matches', [{ key: 'env', values: ['test', 'dev*'] }], false],
    ['keys intersect', [{ key: 'env', values: [] }, { key: 'team', values: ['core'] }], true],
    ['keys intersect (one missing)', [{ key: 'env', values: [] }, { key: 'owner', values: [] }], false],
  ];
  for (const [what, filters, ok] of matchCases) it(what, () => assert.equal(tagsMatchFilters(tags, filters), ok));

  it('refuses a fuzzy key with values, a missing key, and more than 5 values', () => {
    assert.equal(code(() => tagFiltersFromParams([{ TagKey: 'env*', TagValues: ['x'] }])), 'InvalidTagFilter.Malformed');
    assert.equal(code(() => tagFiltersFromParams([{ TagValues: ['x'] }])), 'InvalidTagFilter.Malformed');
    assert.equal(code(() => tagFiltersFromParams([{ TagKey: 'env', TagValues: ['1', '2', '3', '4', '5', '6'] }])), 'NumberExceed.TagValues');
    assert.deepEqual(tagFiltersFromParams([{ TagKey: 'env', TagValues: ['a', ''] }]), [{ key: 'env', values: ['a'] }]);
  });
});
