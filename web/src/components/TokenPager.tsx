/** Prev/next paging for the NextToken actions, which give no total. */
import { Button, Flex } from 'antd';
import type { ServerList } from '../hooks/useServerList';

export function TokenPager({ list }: { list: ServerList<unknown> }) {
  const t = list.tokens;
  return (
    <Flex justify="end" gap={8} align="center" style={{ marginTop: 12 }}>
      <span>Page {t.page}</span>
      <Button size="small" disabled={!t.hasPrev} onClick={t.prev}>Previous</Button>
      <Button size="small" disabled={!t.hasNext} onClick={t.next}>Next</Button>
    </Flex>
  );
}
