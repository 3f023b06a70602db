import { Select } from 'antd';
import { useConsole } from '../hooks/console';

export function RegionSelect() {
  const { regions, region, setRegion } = useConsole();
  return (
    <Select
      data-testid="region-select"
      className="region-select"
      value={region}
      onChange={setRegion}
      style={{ width: 320 }}
      showSearch={{ optionFilterProp: 'label' }}
      options={regions.map((r) => ({ value: r.RegionId, label: `${r.LocalName} (${r.RegionId})` }))}
    />
  );
}
