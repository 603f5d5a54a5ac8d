"""The notebook kernel's output stream (:mod:`xinzhou_fiscal.publish.kernel_stream`): a flush with
nothing written does not wait on the I/O thread; whatever is written still arrives, in order."""
from __future__ import annotations

import asyncio
import threading

import nbformat
import papermill as pm
import pytest
import zmq
from ipykernel.iostream import IOPubThread, OutStream
from jupyter_client.session import Session
from nbformat.v4 import new_code_cell, new_notebook

from xinzhou_fiscal import batch
from xinzhou_fiscal.publish.kernel_stream import SkipEmptyFlushOutStream


class _RecordingSession(Session):
    """A session that keeps the stream messages instead of sending them."""

    def __init__(self):
        super().__init__(key=b"")
        self.sent = []

    def send(self, stream, msg_or_type, *args, **kwargs):
        self.sent.append(msg_or_type["content"]["text"])


@pytest.fixture(scope="module")
def io_thread():
    """One running IOPub thread (ipykernel's, as in the kernel) for the module. Its housekeeping
    task is cancelled, and the cancellation run, before the thread stops: otherwise asyncio warns
    at exit that the task was destroyed while pending."""
    context = zmq.Context()
    thread = IOPubThread(context.socket(zmq.PUB))
    thread.start()
    yield thread
    cancelled = threading.Event()

    async def cancel_housekeeping():
        task = getattr(thread, "_event_pipe_gc_task", None)
        if task is not None:
            task.cancel()
            await asyncio.sleep(0)
        cancelled.set()

    thread.io_loop.add_callback(cancel_housekeeping)
    cancelled.wait(5)
    thread.stop()
    thread.close()


@pytest.fixture
def pub_thread(io_thread, monkeypatch):
    """The IOPub thread, counting what is handed to it."""
    thread = io_thread
    calls = []
    schedule = thread.schedule

    def counting_schedule(f):
        calls.append(f)
        schedule(f)

    monkeypatch.setattr(thread, "schedule", counting_schedule, raising=False)
    monkeypatch.setattr(thread, "calls", calls, raising=False)
    return thread


def _stream(cls, pub_thread):
    return cls(_RecordingSession(), pub_thread, "stdout", watchfd=False)


def test_flush_with_nothing_written_hands_nothing_to_the_io_thread(pub_thread):
    stream = _stream(SkipEmptyFlushOutStream, pub_thread)
    stream.flush()
    stream.flush()
    assert pub_thread.calls == []


def test_ipykernels_own_stream_waits_on_the_io_thread_for_an_empty_flush(pub_thread):
    """What the subclass saves: ipykernel's flush queues a send and a wake-up even when empty."""
    stream = _stream(OutStream, pub_thread)
    stream.flush()
    assert len(pub_thread.calls) == 2


def test_written_text_is_sent_by_flush(pub_thread):
    stream = _stream(SkipEmptyFlushOutStream, pub_thread)
    stream.write("收入合计 2,792.45\n")
    stream.flush()
    assert stream.session.sent == ["收入合计 2,792.45\n"]
    stream.write("第二行\n")
    stream.flush()
    assert stream.session.sent == ["收入合计 2,792.45\n", "第二行\n"]


def test_text_written_from_another_thread_is_sent(pub_thread):
    stream = _stream(SkipEmptyFlushOutStream, pub_thread)
    writer = threading.Thread(target=stream.write, args=("from a thread\n",))
    writer.start()
    writer.join()
    stream.flush()
    assert stream.session.sent == ["from a thread\n"]


def test_without_ipykernels_attributes_every_flush_is_ipykernels(pub_thread):
    stream = _stream(SkipEmptyFlushOutStream, pub_thread)
    del stream._buffers
    assert stream._nothing_to_send() is False


def test_the_kernel_uses_it_and_outputs_keep_their_order(tmp_path):
    code = ("import sys\nfrom IPython.display import display\n"
            "print('一')\ndisplay('二')\nprint('三', file=sys.stderr)\nprint('四')\ntype(sys.stdout).__name__")
    source = tmp_path / "in.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(code), new_code_cell("print('五')")],
                                metadata={"kernelspec": {"name": "python3", "language": "python",
                                                              "display_name": "Python 3"}}), source)
    nb = pm.execute_notebook(str(source), str(tmp_path / "out.ipynb"), kernel_name=batch.ensure_kernel(),
                             cwd=str(tmp_path), progress_bar=False, extra_arguments=batch.KERNEL_ARGUMENTS)
    seen = []
    for cell in nb.cells:
        for out in cell.outputs:
            seen.append(out.text.strip() if out.output_type == "stream" else out.data["text/plain"].strip("'"))
    # as with ipykernel's own stream: stdout and stderr are buffered apart, both flushed before
    # the cell's result, stdout first
    assert seen == ["一", "二", "四", "三", "SkipEmptyFlushOutStream", "五"]
