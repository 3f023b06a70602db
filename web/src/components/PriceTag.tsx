/**
 * A quoted price (DescribePrice, DescribeRenewalPrice): the trade price, the list price struck
 * through when a discount applies. A server without the price action says so instead; another
 * refusal (PriceNotFound...) is shown with its code.
 */
import { Typography } from 'antd';
import { ApiError, errorText } from '../api/client';

export interface Price { OriginalPrice?: number; TradePrice?: number; Currency?: string }

const money = (n: number | undefined, currency?: string) => (n === undefined ? '-' : `${n.toFixed(2)} ${currency ?? ''}`.trim());

export function PriceTag({ price: p, error }: { price?: Price; error?: unknown }) {
  if (error instanceof ApiError && error.unsupported) {
    return <Typography.Text type="secondary" data-testid="price-unavailable">Prices are not available on this server yet</Typography.Text>;
  }
  if (error) return <Typography.Text type="warning" data-testid="price-error">{errorText(error)}</Typography.Text>;
  return (
    <span data-testid="price">
      {p && p.OriginalPrice !== undefined && p.TradePrice !== undefined && p.OriginalPrice > p.TradePrice && (
        <Typography.Text delete type="secondary" style={{ marginRight: 8 }} data-testid="price-original">{money(p.OriginalPrice, p.Currency)}</Typography.Text>
      )}
      <Typography.Text strong style={{ fontSize: 16 }} data-testid="price-trade">{p ? money(p.TradePrice, p.Currency) : '-'}</Typography.Text>
    </span>
  );
}
