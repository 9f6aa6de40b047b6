"""pyHanko's work is asynchronous; run it to completion from plain synchronous code."""

import asyncio
from concurrent.futures import ThreadPoolExecutor


def run_to_completion(coroutine):
    """Await `coroutine` from synchronous code, whatever the thread.

    pyHanko's synchronous wrappers call asyncio.run(), which refuses to run where an event
    loop is already running (an async server's thread, Playwright's sync API). There the
    coroutine runs on a short-lived thread of its own instead.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
