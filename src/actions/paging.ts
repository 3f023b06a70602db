/**
 * The two paging modes of ECS Describe* actions: PageNumber/PageSize (echoed with TotalCount) and
 * MaxResults/NextToken (an opaque token; empty when done). Mixing them is refused.
 */
import { EcsError } from '../domain/errors.js';
import type { Params } from '../api/params.js';

export interface Page {
  offset: number;
  limit: number;
  mode: 'page' | 'token';
  pageNumber: number;
  pageSize: number;
}

export interface PagingRules { defaultSize: number; maxSize: number; maxResultsMin?: number; maxResultsMax?: number; maxResultsDefault?: number }

export function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

/** The offset a NextToken carries; a token of no use answers `code` (each product spells it its own way). */
export function decodeToken(token: string, code = 'InvalidParameter.NextToken'): number {
  try {
    const o = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')).o;
    if (Number.isInteger(o) && o >= 0) return o;
  } catch { /* fall through */ }
  throw new EcsError(code, `The specified NextToken "${token}" is not valid.`, 400);
}

export function pageOf(p: Params, rules: PagingRules): Page {
  const tokenMode = p.NextToken !== undefined || p.MaxResults !== undefined;
  if (tokenMode) {
    if (p.PageNumber !== undefined && p.PageNumber !== 1 && p.NextToken) {
      throw new EcsError('NotSupported.PageNumberAndPageSize', 'PageNumber/PageSize and NextToken/MaxResults cannot be used together.', 400);
    }
    let limit: number = p.MaxResults ?? rules.maxResultsDefault ?? rules.maxSize;
    const max = rules.maxResultsMax ?? rules.maxSize;
    if (limit > max || limit < 1) throw new EcsError('InvalidParameter.MaxResults', `MaxResults must be from 1 to ${max}.`, 400);
    if (rules.maxResultsMin && limit < rules.maxResultsMin) limit = rules.maxResultsMin;
    const offset = p.NextToken ? decodeToken(p.NextToken) : 0;
    return { offset, limit, mode: 'token', pageNumber: 1, pageSize: limit };
  }
  const pageNumber: number = p.PageNumber ?? 1;
  const pageSize: number = p.PageSize ?? rules.defaultSize;
  if (pageNumber < 1) throw new EcsError('InvalidParameter.PageNumber', 'PageNumber must be at least 1.', 400);
  if (pageSize < 1 || pageSize > rules.maxSize) throw new EcsError('InvalidParameter.PageSize', `PageSize must be from 1 to ${rules.maxSize}.`, 400);
  return { offset: (pageNumber - 1) * pageSize, limit: pageSize, mode: 'page', pageNumber, pageSize };
}

/** The paging fields of a response for a page of `count` rows out of `total`. */
export function pageFields(page: Page, count: number, total: number) {
  const nextToken = page.offset + count < total ? encodeToken(page.offset + count) : '';
  return page.mode === 'token'
    ? { NextToken: nextToken, TotalCount: total, PageSize: page.limit, PageNumber: 1 }
    : { PageNumber: page.pageNumber, PageSize: page.pageSize, TotalCount: total, NextToken: nextToken };
}
