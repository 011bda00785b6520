//! How much memory the whole-document formats take, counted by the allocator: the bytes
//! held at the peak of one cleaning, against the document's size. (A test binary of its
//! own: the count is of the whole process, so nothing else may run beside it.)

use dechaff::{Cleaner, Format, Options};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, counting the bytes held now and the most held since the last
/// `reset`.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = HELD.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                HELD.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The most bytes held above what was held before, while `f` ran.
fn peak_of(f: impl FnOnce()) -> usize {
    let before = HELD.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    f();
    PEAK.load(Ordering::Relaxed) - before
}

/// A writer that holds nothing of what it is given: its length and a hash of its bytes
/// (FNV-1a), to compare with output made otherwise.
#[derive(Default, PartialEq, Debug)]
struct Digest {
    len: usize,
    hash: u64,
}

impl Digest {
    fn of(bytes: &[u8]) -> Digest {
        let mut d = Digest::default();
        std::io::Write::write_all(&mut d, bytes).unwrap();
        d
    }
}

impl std::io::Write for Digest {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.len == 0 {
            self.hash = 0xcbf2_9ce4_8422_2325;
        }
        for &b in buf {
            self.hash = (self.hash ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
        self.len += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A page of about `size` bytes made only of `paragraph`, numbered.
fn page(size: usize, paragraph: impl Fn(usize) -> String) -> Vec<u8> {
    let mut page = String::from("<!doctype html><html><body><article><h1>Big</h1>\n");
    let mut i = 0;
    while page.len() < size {
        page.push_str(&paragraph(i));
        i += 1;
    }
    page.push_str("</article></body></html>\n");
    page.into_bytes()
}

/// Held by each test while it counts: the count is of the whole process.
static ALONE: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn whole_document_formats_hold_a_small_multiple_of_the_document() {
    let _alone = ALONE.lock().unwrap_or_else(|e| e.into_inner());
    let cleaner = Cleaner::new().unwrap();
    // The rules a page needs are compiled on first use, and the automata of their literals
    // once some tens of KiB of text have been searched without them: not counted below. A
    // Markdown document warms the rules that read Markdown only (the `replace` rules).
    let mut warm_markdown = String::from("# Warm\n\n");
    while warm_markdown.len() < 64 << 10 {
        warm_markdown
            .push_str("Warm up, the people said the report on the city was news. 热身。\n\n");
    }
    for format in [Format::Markdown, Format::Html, Format::Text, Format::Json] {
        let warm = page(64 << 10, |i| {
            format!("<p>Warm <a href=\"/x{i}\">up</a>.</p>\n")
        });
        for doc in [&warm[..], warm_markdown.as_bytes()] {
            let mut out = Vec::new();
            cleaner
                .clean_to(doc, &mut out, format, &Options::default())
                .unwrap();
        }
    }
    // The worst case measured: short paragraphs of links and emphasis, every few bytes an
    // element of the article tree; and a page of long paragraphs. `whole` bounds the
    // cleaning and the rendering together, `rendering` the article tree and the output made
    // from a cleaned document held: 10 to 11 times the page of links and about 4 times the
    // page of words before the tree was held compact, 42 times the links before it was built
    // lean. The article stage holds the blocks its sweeps from the edges may reach, not a
    // view of every block: the whole of the page of links took 6.3 times it when it did.
    // The input is let go once the cleaning pass has read it, the cleaned document once
    // read into the article tree, and the output is written as it is made (into a file it
    // is held nowhere): the page of words took 3.5 to 3.9 times it when they were held.
    let links = page(1 << 20, |i| {
        format!(
            "<p>Short <a href=\"https://example.com/a{i}\">link</a> and <b>bold</b> <i>it</i> x.</p>\n"
        )
    });
    // The same page whose every paragraph holds a metadata rule's literal (英文, for
    // `language-version-link`): every block is read for the rule's lines. It took 5.50
    // times the page when each block's place held its own copy of the path to it and every
    // block a slot for its lines, 4.54 to 4.67 since.
    let links_read = page(1 << 20, |i| {
        format!(
            "<p>Short <a href=\"https://example.com/a{i}\">link</a> and <b>bold</b> <i>it</i> x 英文.</p>\n"
        )
    });
    let words = page(1 << 20, |i| {
        format!(
            "<p>{} 中文字符测试。</p>\n",
            "news article government report said the economy people city ".repeat(6 + i % 3)
        )
    });
    // A Markdown document peaks where it is read as HTML (pulldown-cmark's tree of the
    // whole document beside the HTML made of it): its cleaning pass holds the input, its
    // blocks and the cleaned document, and took 4.6 times it when the rewriter's input kept
    // room for the whole document and the cleaned document was copied once more to put its
    // front matter in front.
    let mut markdown = String::from("# Big\n\n");
    for i in 0.. {
        if markdown.len() >= 1 << 20 {
            break;
        }
        markdown.push_str(&format!(
            "{} 中文字符测试 {i}。\n\n",
            "news article government report said the economy people city ".repeat(6 + i % 3)
        ));
    }
    let markdown = markdown.into_bytes();
    for (name, doc, whole, rendering) in [
        ("links", &links, 4.25, 3.75),
        ("links read", &links_read, 5.0, 3.75),
        ("words", &words, 3.4, 2.5),
        ("markdown", &markdown, 4.0, 3.25),
    ] {
        for format in [Format::Markdown, Format::Html, Format::Text, Format::Json] {
            // Written into a file, it would be held nowhere: a digest of it is kept.
            let mut out = Digest::default();
            let peak = peak_of(|| {
                cleaner
                    .clean_to(&doc[..], &mut out, format, &Options::default())
                    .unwrap();
            });
            assert!(
                out.len > doc.len() / 4,
                "{name} {format:?}: the article is there"
            );
            let cleaned = cleaner.clean_bytes(&doc[..], &Options::default()).unwrap();
            let rendered = peak_of(|| assert_eq!(Digest::of(cleaned.to(format).as_bytes()), out));
            drop(cleaned);
            let (peak, rendered) = (
                peak as f64 / doc.len() as f64,
                rendered as f64 / doc.len() as f64,
            );
            eprintln!("{name} {format:?}: {peak:.2} times the page, {rendered:.2} rendering");
            assert!(
                peak <= whole,
                "{name} {format:?}: {peak:.2} times the page held (at most {whole})"
            );
            assert!(
                rendered <= rendering,
                "{name} {format:?}: {rendered:.2} times the page held to render (at most {rendering})"
            );
        }
    }
}

/// A document of at least `size` bytes made as it is read: `head`, then `paragraph(i)` for
/// each `i` from 0 until the size is reached, then `tail`.
struct Generated<F> {
    paragraph: F,
    size: usize,
    made: usize,
    next: usize,
    tail: Option<&'static str>,
    piece: Vec<u8>,
    at: usize,
}

impl<F: FnMut(usize) -> String> Generated<F> {
    fn new(head: &str, paragraph: F, tail: &'static str, size: usize) -> Self {
        Generated {
            paragraph,
            size,
            made: head.len(),
            next: 0,
            tail: Some(tail),
            piece: head.as_bytes().to_vec(),
            at: 0,
        }
    }
}

impl<F: FnMut(usize) -> String> std::io::Read for Generated<F> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.piece.len() {
            self.at = 0;
            self.piece.clear();
            if self.made < self.size {
                self.piece
                    .extend_from_slice((self.paragraph)(self.next).as_bytes());
                self.next += 1;
                self.made += self.piece.len();
            } else if let Some(tail) = self.tail.take() {
                self.piece.extend_from_slice(tail.as_bytes());
            } else {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.piece.len() - self.at);
        buf[..n].copy_from_slice(&self.piece[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[test]
fn a_document_cleaned_in_windows_holds_a_small_multiple_of_a_window() {
    let _alone = ALONE.lock().unwrap_or_else(|e| e.into_inner());
    let cleaner = Cleaner::new().unwrap();
    const WINDOW: usize = 1 << 20;
    const SIZE: usize = 48 << 20;
    let options = Options {
        max_document: WINDOW,
        window: WINDOW,
        ..Options::default()
    };
    let words =
        |i: usize| "news article government report said the economy people city ".repeat(6 + i % 3);
    let markdown = || {
        Generated::new(
            "# Big\n\n",
            move |i| format!("{} 中文字符测试 {i}。\n\n", words(i)),
            "",
            SIZE,
        )
    };
    let html = || {
        Generated::new(
            "<!doctype html><html><body><h1>Big</h1>\n",
            move |i| {
                format!(
                    "<p>{} <a href=\"https://example.com/a{i}\">link</a> <b>bold</b>.</p>\n\n",
                    words(i)
                )
            },
            "</body></html>\n",
            SIZE,
        )
    };
    // Warmed up: the rules compiled on first use are not counted.
    let mut out = Digest::default();
    let warm = Options {
        max_document: 0,
        ..options.clone()
    };
    for doc in [
        "# Warm\n\nup.\n",
        "<!doctype html><p>Warm <a href=/x>up</a>.</p>",
    ] {
        for format in [Format::Markdown, Format::Json] {
            (cleaner.clean_to(doc.as_bytes(), &mut out, format, &warm)).unwrap();
        }
    }
    // Markdown written as each window is made; JSON's content spooled to a file. Measured:
    // 8.25 and 6.8 times a window, whatever the document's size.
    for (name, format, bound) in [
        ("markdown", Format::Markdown, 12.0),
        ("html", Format::Json, 10.0),
    ] {
        let mut out = Digest::default();
        let mut report = None;
        let peak = peak_of(|| {
            let input: Box<dyn std::io::Read> = match name {
                "markdown" => Box::new(markdown()),
                _ => Box::new(html()),
            };
            report = Some(cleaner.clean_to(input, &mut out, format, &options).unwrap());
        });
        let report = report.unwrap();
        assert!(out.len > SIZE / 2, "{name}: the article is there");
        assert!(
            (report.warnings.iter()).any(|w| w.kind == "cleaned-in-windows"),
            "{name}: {:?}",
            report.warnings
        );
        let peak = peak as f64 / WINDOW as f64;
        eprintln!("{name} {format:?} in windows: {peak:.2} times a window");
        assert!(
            peak <= bound,
            "{name} {format:?}: {peak:.2} times a window held (at most {bound})"
        );
    }
}
