/** AcceptLanguage for the catalog's names (regions, zones): the browser's, among the three ECS offers. */
export function acceptLanguage(): 'zh-CN' | 'en-US' | 'ja' {
  const lang = (navigator.language || 'en').toLowerCase();
  return lang.startsWith('zh') ? 'zh-CN' : lang.startsWith('ja') ? 'ja' : 'en-US';
}
