//! What is never learned, however often it recurs: the article's own metadata. An editor,
//! a columnist or a photo agency can sign most of a site's pages, and a byline, an
//! editor's line, a source line or a photo credit is still part of the article.

use regex::Regex;
use std::sync::LazyLock;

/// Words that open a byline, an editor's line or note, a source or translation line, the
/// article's own (short) address or a credit (Chinese, simplified and traditional, and
/// English), after any opening bracket. English labels count with a colon after them, or a
/// name (`By Jane Doe`): a bare `Image caption` is a screen reader's label, not a credit.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^[\s>\#*_【\[（(「『]*
        (?:
            (?:责任|責任|执行|執行)?(?:编辑|編輯|主编|主編|编译|編譯|编审|編審)
          | 责编|責編|记者|記者|作者|撰稿|撰文|文字|翻译|翻譯|译者|譯者|校对|校對|审校|審校|审核|審核
          | 图片|圖片|图源|圖源|图文|圖文|摄影|攝影|配图|配圖|视频|視頻|制作|製作
          | (?:文章|本文|原文|资料|資料|内容|內容|图片|圖片)?(?:来源|來源|来自|來自|出处|出處|转载自|轉載自|首发|首發)
          | 原文|原题|原題|原标题|原標題|首发|首發
          | 本文(?:短)?(?:网址|網址|链接|鏈接|地址|链接地址)
          | 编者按|編者按|编者注|編者註|编按|編按|译者按|譯者按|译注|譯註|注释|註釋
          | 文\s*[/／|｜:：]|图\s*[/／|｜:：]|圖\s*[/／|｜:：]
          | (?:by|edited\s+by|reported\s+by|written\s+by|translated\s+by|photos?\s+by|via)\s+(?-i:\p{Lu})
          | (?:editor|editing|reporting|writing|author|source|sources|translation|photo|photos|photograph|image|images|credit|credits)s?\s*[:：]
        )",
    )
    .expect("the label regex compiles")
});

/// Reporters and editors named in a dateline's brackets: `（大纪元记者徐简综合报导）`.
static BRACKETED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[（(【\[][^）)】\]]{0,24}(?:记者|記者|编辑|編輯|报导|報導|报道|報道|撰稿)")
        .expect("the byline regex compiles")
});

/// Whether a unit's text (as a reader sees it) is the article's metadata.
pub fn is_metadata(text: &str) -> bool {
    LABEL.is_match(text) || BRACKETED.is_match(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_editors_sources_and_credits_are_metadata() {
        for text in [
            "责任编辑：叶紫微",
            "（大纪元记者徐简综合报导）",
            "**编辑：小蛮妖**",
            "> 文章来源：微信订阅号「土豆公社」",
            "文/木田无花",
            "By Jane Doe",
            "Photo: Reuters",
            "Edited by Jim Roe",
            "图片来源：网络",
            "【记者站】",
            "编者按：本文是系列报道的第三篇",
            "本文短网址: 版权所有，任何形式转载需授权许可。",
        ] {
            assert!(is_metadata(text), "{text}");
        }
    }

    #[test]
    fn site_chaff_is_not_metadata() {
        for text in [
            "获取更多RSS：https://feedx.net",
            "扫码关注我们",
            "Subscribe to our newsletter",
            "Byzantine empire",
            "Image caption",
            "by the way",
            "本文版权归德国之声所有",
        ] {
            assert!(!is_metadata(text), "{text}");
        }
    }
}
