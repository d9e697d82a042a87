# The project's image: the official Apache Airflow image, plus this project, for every service of
# docker-compose.yml (api-server, scheduler, dag-processor, triggerer, Celery workers, init). One
# image, so the DAGs, the plugins and the `etl` code a worker runs are the ones the scheduler parsed.
#
# The base is the Airflow version `make install` resolves (requirements.lock pins it; the test
# tests/unit/test_compose.py holds the three together). The official image brings Airflow with the
# Celery and PostgreSQL providers, its `airflow` user (uid 50000, gid 0), AIRFLOW_HOME=/opt/airflow
# and the entrypoint that runs `airflow ...` commands.
FROM apache/airflow:3.3.2-python3.11

ARG AIRFLOW_VERSION=3.3.2
ARG PYTHON_VERSION=3.11

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    EDGAR_HOME=/opt/edgar \
    EDGAR_DATA_DIR=/data \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/edgar/dags \
    AIRFLOW__CORE__PLUGINS_FOLDER=/opt/edgar/plugins \
    AIRFLOW__CORE__LOAD_EXAMPLES=False \
    PYTHONPATH=/opt/edgar/plugins

# The project's folder and the data folder, owned by the image's `airflow` user: a named volume
# mounted on /data starts as a copy of this directory, with this owner.
USER root
RUN mkdir -p /opt/edgar /data \
    && chown -R airflow:0 /opt/edgar /data \
    && chmod -R g+rwX /opt/edgar /data

USER airflow
WORKDIR /opt/edgar

# Dependencies first, in their own layer: a code change does not reinstall them. Installed the way
# Airflow's documentation says for an image: under Airflow's constraints file for this version and
# Python (the versions Airflow was released and tested with), naming apache-airflow==AIRFLOW_VERSION
# so pip can never upgrade or downgrade the Airflow the image ships. Every dependency has a
# manylinux wheel (psycopg2-binary, duckdb, lxml, pandas): no compiler.
COPY --chown=airflow:0 pyproject.toml README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml','rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install "apache-airflow==${AIRFLOW_VERSION}" -r /tmp/requirements.txt \
        --constraint "https://raw.githubusercontent.com/apache/airflow/constraints-${AIRFLOW_VERSION}/constraints-${PYTHON_VERSION}.txt" \
    && rm /tmp/requirements.txt

# The project itself, as a regular (non-editable) install: its SQL models and expectation suites
# are package data (etl/sql, etl/expectations). The DAGs and the plugin are Airflow's folders.
COPY --chown=airflow:0 etl ./etl
COPY --chown=airflow:0 dags ./dags
COPY --chown=airflow:0 plugins ./plugins
RUN pip install --no-deps . \
    && python -c "import etl.config, etl.warehouse.schema as s; assert s.load_models(), 'no SQL models'"

WORKDIR /opt/airflow
# compose gives each service its full command (`airflow scheduler`, `airflow celery worker`, ...)
CMD ["airflow", "version"]
