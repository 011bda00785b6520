//! Which site a page belongs to: its family and outlet when dechaff knows the outlet, else
//! the host of the article's own address, else the directory it was found in.

use crate::Report;
use regex::Regex;
use std::fmt;
use std::sync::LazyLock;

/// What a site is told apart by, after its family.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum By {
    /// An outlet of the rules.
    Outlet(String),
    /// The host of the article's address (`www.` dropped).
    Host(String),
    /// The directory the pages were found in, as the caller shows it.
    Directory(String),
}

/// One site: the pages the learner compares with each other.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SiteKey {
    /// The mirror family its pages were detected as, if any.
    pub family: Option<String>,
    /// What tells its pages from other sites' pages.
    pub by: By,
}

impl fmt::Display for SiteKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(family) = &self.family {
            write!(f, "{family}/")?;
        }
        match &self.by {
            By::Outlet(o) => write!(f, "{o}"),
            By::Host(h) => write!(f, "{h}"),
            By::Directory(d) => write!(f, "{d}/"),
        }
    }
}

impl SiteKey {
    /// The site of a page, from its cleaning report, the page itself and its directory;
    /// and the host of the article's address, if the page names one.
    /// An address on one of `mirror_hosts` (the rules' hosts that carry mirrors) names no
    /// site.
    pub(crate) fn of(
        report: &Report,
        page: &str,
        directory: &str,
        mirror_hosts: &[String],
    ) -> (SiteKey, Option<String>) {
        let site_host =
            |url: &str| host(url).filter(|h| !crate::detect::host_is_under(h, mirror_hosts));
        let host = report
            .source_url
            .as_deref()
            .and_then(site_host)
            .or_else(|| address_in(page).as_deref().and_then(site_host));
        let by = if let Some(outlet) = &report.outlet {
            By::Outlet(outlet.clone())
        } else if let Some(host) = &host {
            By::Host(host.clone())
        } else {
            By::Directory(directory.to_string())
        };
        let key = SiteKey {
            family: report.family.clone(),
            by,
        };
        (key, host)
    }

    /// A rule file name for the site: lowercase letters, digits and `-` (`dw`,
    /// `example-com`, `posts`).
    pub fn file_name(&self) -> String {
        let raw = match &self.by {
            By::Outlet(o) => o.as_str(),
            By::Host(h) => h.as_str(),
            By::Directory(d) => d.rsplit('/').find(|s| !s.is_empty()).unwrap_or("site"),
        };
        sanitize(raw)
    }
}

/// A name of lowercase ASCII letters, digits and single `-`s, at most 48 bytes; `site`
/// if nothing of it is left.
pub fn sanitize(raw: &str) -> String {
    let mut out = String::new();
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 48 {
            break;
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "site".to_string()
    } else {
        out.to_string()
    }
}

/// The host of an address, lowercase, `www.` dropped; none for a name without a dot.
pub fn host(url: &str) -> Option<String> {
    let host = crate::detect::host_of(url)?;
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    host.contains('.').then_some(host)
}

/// The domain a host belongs to: its last two labels, or three under a country's
/// second-level domains (`bbc.co.uk`, `rti.org.tw`, `people.com.cn`).
pub fn domain(host: &str) -> &str {
    let labels: Vec<&str> = host.rsplit('.').collect();
    let keep = match labels.as_slice() {
        [tld, second, _, ..]
            if tld.len() == 2
                && matches!(
                    *second,
                    "com" | "org" | "net" | "gov" | "edu" | "co" | "ac" | "or" | "ne" | "go"
                ) =>
        {
            3
        }
        _ => 2,
    };
    let mut at = host.len();
    for _ in 0..keep {
        match host[..at].rfind('.') {
            Some(dot) => at = dot,
            None => return host,
        }
    }
    &host[at + 1..]
}

/// Where the page says the article lives, when no family's pattern found it: a front
/// matter key, a canonical link, `og:url`, or a source line (`原文链接：URL`,
/// `文章来自…：[title](URL)`, `Source: URL`). Read in the page's head only.
fn address_in(page: &str) -> Option<String> {
    static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#"(?mi)^(?:from|url|link|source|source_url|original_url|canonical_url|canonical):[ \t]*["']?(https?://[^"'\s]+)|<link\s[^>]*rel=["']?canonical["']?[^>]*href=["']?(https?://[^"'\s>]+)|<meta\s[^>]*property=["']?og:url["']?[^>]*content=["']?(https?://[^"'\s>]+)|^[>\s*_]*(?:原文|来源|來源|文章来自|文章來自|文章来源|文章來源|本文来自|本文來自|转载自|轉載自|出处|出處|source|original)[^\n]{0,80}?(https?://[^\s)<>\]"']+)"#,
        )
        .expect("the address regex compiles")
    });
    let mut end = page.len().min(16 << 10);
    while !page.is_char_boundary(end) {
        end -= 1;
    }
    let caps = ADDRESS.captures(&page[..end])?;
    (1..=4).find_map(|i| caps.get(i).map(|m| m.as_str().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(report: Report, page: &str) -> String {
        let mirrors = crate::Catalog::built_in().unwrap().mirror_hosts();
        SiteKey::of(&report, page, "tree/posts", &mirrors)
            .0
            .to_string()
    }

    #[test]
    fn outlet_then_host_then_directory() {
        let known = Report {
            family: Some("feedx".into()),
            outlet: Some("dw".into()),
            ..Report::default()
        };
        assert_eq!(key(known, ""), "feedx/dw");
        let hosted = Report {
            family: Some("feedx".into()),
            source_url: Some("https://www.example.com/a/1".into()),
            ..Report::default()
        };
        assert_eq!(key(hosted, ""), "feedx/example.com");
        let canonical = "<html><head><link rel=\"canonical\" href=\"https://news.example.org/x\">";
        assert_eq!(key(Report::default(), canonical), "news.example.org");
        assert_eq!(
            key(Report::default(), "---\nfrom: https://example.net/x\n---\n"),
            "example.net"
        );
        assert_eq!(
            key(Report::default(), "---\nurl: https://github.com/x/y\n---\n"),
            "tree/posts/"
        );
        assert_eq!(
            key(
                Report::default(),
                "---\ntitle: x\n---\n\n> 文章来自微信公号「某」：[标题](https://mp.weixin.qq.com/s/abc)\n"
            ),
            "mp.weixin.qq.com"
        );
    }

    #[test]
    fn file_names_are_sanitised() {
        let by_host = SiteKey {
            family: None,
            by: By::Host("news.Example.com".into()),
        };
        assert_eq!(by_host.file_name(), "news-example-com");
        let by_dir = SiteKey {
            family: None,
            by: By::Directory("a/Terminus 2049/".into()),
        };
        assert_eq!(by_dir.file_name(), "terminus-2049");
        assert_eq!(sanitize("中文"), "site");
        assert_eq!(domain("cn.nytimes.com"), "nytimes.com");
        assert_eq!(domain("www.rti.org.tw"), "rti.org.tw");
        assert_eq!(domain("example.com"), "example.com");
        assert_eq!(domain("localhost"), "localhost");
    }
}
