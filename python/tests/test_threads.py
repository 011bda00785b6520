"""Batches: cleaned in parallel with the GIL released, each result in its input's place and
equal to cleaning that document alone."""
import random
import sys
import threading
import time

import dechaff
import pytest
from conftest import CORPUS, documents, read

DOCS = documents(CORPUS)


@pytest.fixture(scope="module")
def cleaner():
    return dechaff.Cleaner()


@pytest.fixture(scope="module")
def texts():
    # Every fifth document, shuffled (a fixed seed), so that big and small ones interleave.
    texts = [read(p) for p in DOCS[::5]]
    random.Random(22).shuffle(texts)
    return texts


@pytest.mark.parametrize("threads", [1, 2, 3, None])
def test_a_batch_equals_single_calls_in_order(cleaner, texts, threads):
    urls = [f"https://www.dw.com/zh/a-{i}" if i % 4 == 0 else None for i in range(len(texts))]
    batch = cleaner.clean_many(texts, urls, threads=threads)
    single = [cleaner.clean(t, url=u) for t, u in zip(texts, urls)]
    assert len(batch) == len(texts)
    assert batch == single


def test_a_batch_takes_any_iterable_and_empty_batches(cleaner, texts):
    assert cleaner.clean_many(t for t in texts[:3]) == cleaner.clean_many(tuple(texts[:3]))
    assert cleaner.clean_many([]) == []
    assert cleaner.clean_many(texts[:1], threads=8) == [cleaner.clean(texts[0])]


def test_threads_of_python_run_while_a_batch_is_cleaned(cleaner, texts):
    # With a switch interval of a minute, a Python thread can run during the call only if
    # the call releases the GIL: woken during the batch, the thread stamps the time.
    batch = texts * 4
    woken, stamp = threading.Event(), []

    def side():
        woken.wait()
        stamp.append(time.perf_counter())

    old = sys.getswitchinterval()
    sys.setswitchinterval(60)
    try:
        t = threading.Thread(target=side)
        t.start()
        start = time.perf_counter()
        woken.set()
        cleaner.clean_many(batch, threads=2)
        end = time.perf_counter()
        t.join()
    finally:
        sys.setswitchinterval(old)
    assert end - start > 0.05, "the batch is long enough to tell"
    assert stamp[0] < end, "the other thread ran only after the batch: the GIL was held"


def test_single_calls_from_python_threads_agree(cleaner, texts):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        pooled = list(pool.map(cleaner.clean, texts))
    assert pooled == [cleaner.clean(t) for t in texts]


def test_a_forked_process_builds_its_own_cleaner(cleaner):
    # multiprocessing and datasets.map(num_proc=N) fork a process that already built a
    # Cleaner; a thread pool left behind in the parent would never answer the child.
    import os

    pid = os.fork()
    if pid == 0:  # the child never returns to pytest
        ok = False
        try:
            ok = dechaff.Cleaner().clean("<p>x</p>").content == "x\n"
        finally:
            os._exit(0 if ok else 1)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.waitstatus_to_exitcode(status) == 0
            return
        time.sleep(0.1)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    pytest.fail("the forked process never finished building its Cleaner")
