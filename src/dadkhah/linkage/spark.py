"""splink's Spark backend for linkage jobs that outgrow one machine.

Here it runs Spark in local mode (``local[*]``) so the same code path is tested on a laptop;
pass your own ``SparkSession`` to run on a cluster.  Needs ``pyspark`` and Java 17+.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

from dadkhah.errors import LinkageError


def local_spark(app_name: str = "dadkhah", *, cores: str = "local[2]") -> Any:
    """A local SparkSession with splink's similarity UDF jar (Jaro-Winkler etc.)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise LinkageError("The Spark backend needs pyspark.",
                           hint="pip install 'dadkhah[spark]' (and Java 17 or newer).") from exc
    from splink.backends.spark import similarity_jar_location

    os.environ.setdefault("PYSPARK_PYTHON", __import__("sys").executable)
    checkpoints = tempfile.mkdtemp(prefix="dadkhah-spark-")
    spark = (SparkSession.builder.appName(app_name).master(cores)
             .config("spark.jars", similarity_jar_location())
             .config("spark.sql.shuffle.partitions", "8")
             .config("spark.default.parallelism", "8")
             .config("spark.driver.memory", "4g")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.session.timeZone", "UTC")
             .getOrCreate())
    spark.sparkContext.setCheckpointDir(checkpoints)
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def spark_api(spark: Any = None) -> Any:
    """splink's SparkAPI on ``spark`` (a local session when None)."""
    from splink.backends.spark import SparkAPI

    return SparkAPI(spark_session=spark or local_spark())
