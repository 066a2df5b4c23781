// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { guideHref, renderInline, renderMarkdown } from './markdown';

describe('the guide Markdown', () => {
  it('renders headings, paragraphs joined without spaces, and takes the first h1 as the title', () => {
    const { title, html } = renderMarkdown('# 夜間の**緊急**対応\n\n最初の行\n続きの行\n\n## 手順\n### 細目');
    expect(title).toBe('夜間の緊急対応');
    expect(html).toBe('<h1>夜間の<strong>緊急</strong>対応</h1>\n<p>最初の行続きの行</p>\n<h2>手順</h2>\n<h3>細目</h3>');
  });

  it('renders flat lists, an indented line as a new line in the item, quotes and tables', () => {
    const { html } = renderMarkdown('- 一\n  続き\n- 二\n\n1. 最初\n2. 次\n\n> 注意\n> です\n\n| 状態 | 意味 |\n| --- | --- |\n| 算定 | 請求 |');
    expect(html).toContain('<ul><li>一<br>続き</li><li>二</li></ul>');
    expect(html).toContain('<ol><li>最初</li><li>次</li></ol>');
    expect(html).toContain('<aside class="note">注意です</aside>');
    expect(html).toContain('<table><thead><tr><th scope="col">状態</th><th scope="col">意味</th></tr></thead><tbody><tr><td>算定</td><td>請求</td></tr></tbody></table>');
  });

  it('marks a UI name, links other pages as .html, and sizes a picture on its own line', () => {
    expect(renderInline('Enter, **「記録を開始」** を押す')).toBe('Enter, <strong class="ui">「記録を開始」</strong>を押す');
    // the spaces GitHub needs around bold in a Japanese sentence do not show on the page
    expect(renderInline('結果として **短期入所の利用に至った** ときに、**「算定」**：')).toBe('結果として<strong>短期入所の利用に至った</strong>ときに、<strong class="ui">「算定」</strong>：');
    expect(renderInline('[請求](claims.md#理由)')).toBe('<a href="claims.html#理由">請求</a>');
    expect(guideHref('README.md')).toBe('index.html');
    expect(guideHref('https://example.jp/a.md')).toBe('https://example.jp/a.md');
    const { html } = renderMarkdown('![検索の画面](images/a.png)', { imageSize: () => ({ width: 360, height: 740 }) });
    expect(html).toBe('<figure class="shot"><img src="images/a.png" alt="検索の画面" width="360" height="740" loading="lazy"><figcaption>検索の画面</figcaption></figure>');
  });

  it('escapes everything, so no HTML from the source reaches the page', () => {
    const { html } = renderMarkdown('<script>alert(1)</script> & "x"\n\n- <img src=x onerror=alert(1)>');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;');
    expect(() => renderInline('[x](javascript:alert(1))')).toThrow(/not allowed/);
  });
});
