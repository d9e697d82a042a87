"""Form ABS-EE asset-level data (Schedule AL, exhibit EX-102): a streaming, defused XML reader.

Wired in (issue 17): discovery keeps ABS-EE(/A), the parse step writes the EX-102 to Parquet and the
single writer bulk-loads it (``etl.absee.load``) into the ``stg_asset_*`` tables; the checks are
``etl/sql/quality/dq_asset_*.sql``, the model ``fct_asset_period`` and the ``mart_asset_*`` marts.

    from etl.absee import read_assets
    from etl.absee.arrow import write_parquet    # pyarrow only where Parquet is written
    with read_assets(path) as reader:            # the asset class comes from the root namespace
        counts = write_parquet(reader, "assets.parquet", properties_path="properties.parquet")
"""

from etl.absee.errors import (
    AbsEeError,
    MalformedXmlError,
    RepeatedElementError,
    UnknownNamespaceError,
    UnsafeXmlError,
)
from etl.absee.fields import CLASSES, COLUMNS, PROPERTY_COLUMNS, AssetRecord, PropertyRecord
from etl.absee.reader import AssetDataReader, read_assets

__all__ = [
    "CLASSES", "COLUMNS", "PROPERTY_COLUMNS", "AbsEeError", "AssetDataReader", "AssetRecord",
    "MalformedXmlError", "PropertyRecord", "RepeatedElementError", "UnknownNamespaceError",
    "UnsafeXmlError", "read_assets",
]
