"""The overlapped runner's pieces that need no server: batch planning and errors across processes."""

from __future__ import annotations

import pickle

import pytest

from etl.pipeline import BatchStageError, StageFailed, in_batch_order, work_units

pytestmark = pytest.mark.unit


def test_work_units_shrink_toward_the_end_of_the_run_within_the_batch_size() -> None:
    items = list(range(576))
    units = work_units(items, 200, 2)
    sizes = [len(u) for u in units]
    # a quarter of what is left per worker (ceil(576 / 8) = 72, then ceil(504 / 8) = 63, ...), never below ten
    assert sizes == [72, 63, 56, 49, 42, 37, 33, 28, 25, 22, 19, 17, 15, 13, 11] + [10] * 7 + [4]
    assert [x for u in units for x in u] == items  # every filing once, in order
    assert [len(u) for u in work_units(items, 50, 2)][:6] == [50, 50, 50, 50, 47, 42]  # the batch size caps it
    assert max(len(u) for u in work_units(list(range(100_000)), 200, 2)) == 200
    assert [len(u) for u in work_units(items, 200, 1)] == [200, 200, 176]  # one process: as planned
    assert [len(u) for u in work_units(list(range(25)), 200, 2)] == [10, 10, 5]  # never below ten
    assert work_units([], 200, 2) == []


def test_a_batch_error_crosses_the_process_boundary_and_names_its_cause() -> None:
    err = pickle.loads(pickle.dumps(BatchStageError("parse", "ValueError", "bad figure")))
    assert (err.stage, err.kind, str(err)) == ("parse", "ValueError", "bad figure")
    failed = StageFailed(err.stage, err, "the fetched filings", kind=err.kind)
    assert str(failed) == "failed at parse (ValueError: bad figure). Kept: the fetched filings"


def _task(settings: object, items: list[int], run_id: str, i: int) -> dict[str, object]:
    return {"batch": i, "fetched": [], "staged": f"{run_id}-{i}-{sum(items)}", "fetch_s": 0.0, "parse_s": 0.0}


def test_results_come_in_batch_order_in_one_process() -> None:
    groups = list(in_batch_order(_task, None, [[1, 2], [3], [4, 5]], "r", workers=1))  # type: ignore[arg-type]
    assert [[g["staged"] for g in group] for group in groups] == [["r-0-3"], ["r-1-3"], ["r-2-9"]]
