//! Snapshots of representative renders, as plain text (and one with its SGR styling), so a
//! change in layout shows up as a readable diff.

use sysdesign::markdown::{render, to_ansi, to_plain};
use sysdesign::theme::Theme;

const SHOWCASE: &str = r#"# Caching strategies

A cache keeps **hot data** close to the reader. Read *more* in the
[Redis docs](https://redis.io/docs) or at <https://example.com>. Some `inline code`
and ~~wrong~~ text. 日本語のテキストも正しく折り返されます。

## Patterns

1. Cache-aside: the application reads the cache first.
2. Read-through:
   - the cache loads on a miss
   - a nested item with a long line that wraps around the terminal width
     1. deeper
3. Write-behind

- [x] measured the hit ratio
- [ ] load-tested a cold cache

> A quote with **bold**.
>
> > Nested quote.

> [!WARNING]
> A cache the system cannot survive without is a dependency.

---

| Pattern | Consistency | Latency on miss | Notes |
|:--------|:-----------:|----------------:|-------|
| Cache-aside | eventual | high | the most common pattern; the app controls everything |
| Write-through | strong | low | every write goes to both |

```rust
fn main() {
	let cache = HashMap::new(); // a comment
    println!("{}", "a long string literal that will need to wrap around the width");
}
```

![diagram of the cache](cache.png)

<div class="note">
  raw html
</div>

Line one\
line two.
"#;

#[test]
fn showcase_at_80_columns() {
    insta::assert_snapshot!(to_plain(&render(SHOWCASE, 80, &Theme::MONO).lines));
}

#[test]
fn showcase_at_40_columns() {
    insta::assert_snapshot!(to_plain(&render(SHOWCASE, 40, &Theme::MONO).lines));
}

#[test]
fn showcase_at_20_columns() {
    insta::assert_snapshot!(to_plain(&render(SHOWCASE, 20, &Theme::MONO).lines));
}

#[test]
fn styled_output_as_sgr() {
    let markdown = "## Title\n\n*em* **strong** `code` [link](https://x.example)\n\n```toml\n[a]\nb = 1\n```\n";
    let ansi = to_ansi(&render(markdown, 40, &Theme::COLOR).lines);
    // Escape the ESC so the snapshot file stays readable text.
    insta::assert_snapshot!(ansi.replace('\x1b', "\\e"));
}
