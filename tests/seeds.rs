//! The seed documents: what each must lose and what each must keep, asserted directly so
//! that a snapshot accepted in haste cannot hide a lost paragraph.

use dechaff::{Cleaner, InputFormat, Options};

fn clean(name: &str) -> (String, dechaff::Report) {
    let path = format!("{}/tests/corpus/seeds/{name}", env!("CARGO_MANIFEST_DIR"));
    let input = std::fs::read_to_string(&path).unwrap();
    let format = if name.ends_with(".html") {
        InputFormat::Html
    } else {
        InputFormat::Markdown
    };
    let options = Options {
        format: Some(format),
        ..Options::default()
    };
    let cleaned = Cleaner::new()
        .unwrap()
        .clean_str_with(&input, &options)
        .unwrap();
    (cleaned.text, cleaned.report)
}

fn check(name: &str, family: &str, outlet: &str, keep: &[&str], gone: &[&str]) {
    let (text, report) = clean(name);
    assert_eq!(report.family.as_deref(), Some(family), "{name}");
    assert_eq!(report.outlet.as_deref(), Some(outlet), "{name}");
    assert!(report.warnings.is_empty(), "{name}: {:?}", report.warnings);
    for k in keep {
        assert!(text.contains(k), "{name}: lost {k:?}\n{text}");
    }
    for g in gone {
        assert!(!text.contains(g), "{name}: still has {g:?}\n{text}");
    }
}

#[test]
fn gfw_breaker_epochtimes() {
    check(
        "gfw-breaker-epochtimes-2023.md",
        "gfw-breaker",
        "epochtimes",
        &[
            "### 不顾西方反对 俄中签署系列双边协议",
            "id14003057-GettyImages-1257670179-600x400.jpg",
            "(Thomas Peter-Pool/Getty Images)",
            "【大纪元2023年05月24日讯】（大纪元记者徐简综合报导）",
            "<a href=\"https://www.epochtimes.com/gb/tag/%E6%9D%8E%E5%BC%BA.html\">",
            "俄总理：两国关系处于前所未有的高水平",
            "两国正在讨论向俄罗斯供应技术设备。",
            "责任编辑：叶紫微",
            "原文地址（需翻墙访问）：https://www.epochtimes.com/gb/23/5/24/n14003045.htm",
        ],
        &[
            "首页",
            "翻墙教程",
            "翻墙软件",
            "禁书下载",
            "二维码",
            "n14003045.md",
            "width='0px'",
            "<ok",
            "</ok>",
            "九评",
        ],
    );
}

#[test]
fn gfw_breaker_ntdtv() {
    check(
        "gfw-breaker-ntdtv-2023.md",
        "gfw-breaker",
        "ntdtv",
        &[
            "### 习近平晤俄总理再释信号：坚定支持核心利益",
            "（ALEXANDER ASTAFYEV/SPUTNIK/AFP via Getty Images）",
            "【新唐人北京时间2023年05月25日讯】",
            "正在把中国带向一个可怕的方向。",
            "（责任编辑：文慧）",
            "原文地址（需翻墙访问）：https://www.ntdtv.com/gb/2023/05/25/a103719597.html",
        ],
        &[
            "首页",
            "single_ad",
            "二维码",
            "a103719597.md",
            "<ok",
            "九评",
        ],
    );
}

#[test]
fn feedx_dw() {
    check(
        "feedx-dw-2023.md",
        "feedx",
        "dw",
        &[
            "[习近平会见俄总理 许诺支持“彼此核心利益”](https://www.dw.com/",
            "2023-05-24T14:34:01.707Z",
            "<img src=\"https://static.dw.com/image/65721971_303.jpg\"",
            "米舒斯京则在周三人民大会堂举行的盛大欢迎仪式上表示",
            "（德国之声中文网）周三",
            "（路透社）",
        ],
        &["获取更多RSS", "feedx.net", "images.weserv.nl", "版权声明"],
    );
}

#[test]
fn jekyll_zaobao() {
    check(
        "jekyll-zaobao-2023.md",
        "jekyll",
        "zaobao",
        &[
            "title: \"习近平会见俄罗斯总理米舒斯京\"",
            "[习近平会见俄罗斯总理米舒斯京](https://www.zaobao.com/realtime/china/story20230524-1397792)",
            "src=\"https://static.zaobao.com/s3fs-public/styles/article_large_full/",
            "<figcaption>中国国家主席习近平（右）星期三在北京会见俄罗斯总理米舒斯京。（法新社）</figcaption>",
            "中国国家主席习近平星期三（5月24日）",
            "以确保2030年前俄中关系达到全新水平。",
        ],
        &[
            "<!--NaN-->",
            "dfp-ad",
            "innity",
            "imu",
            "cx_paywall_placeholder",
            "data-src",
        ],
    );
}

#[test]
fn bannedbook_soundofhope() {
    check(
        "bannedbook-soundofhope-2024.html",
        "bannedbook",
        "soundofhope",
        &[
            "<h2>不顾欧美施压 习近平一意孤行强化中俄关系 专家解析内情</h2>",
            "普京访华 中俄各有所得吗？ （图片：Kenzaburo Fukuhara &#8211; Pool/Getty Images)",
            "【希望之声2024年5月18日】（希望之声记者王骁采访报导）",
            "蓝述表示</a>：“中俄之间的关系",
            "他们现在肯定得捆绑在一起。",
            "本文章或节目经希望之声编辑制作，转载请注明希望之声并包含原文标题及链接：<a class=\"src_link\" href=\"https://m.soundofhope.org/post/814885\"",
        ],
        &[
            "大陆网友注意",
            "备注：翻墙看新闻",
            "shenyun",
            "V2ray",
            "128kbps收听",
            "<audio",
            "freechinanow",
            "op-related-articles",
            "texttj",
            "sharetosocial",
            "AuctionX",
            "ADSLOT",
            "面包屑导航",
            "wp_keywordlink",
            "st_tag",
        ],
    );
}
