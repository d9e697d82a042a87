# The project's image: Airflow 3 with the Celery and PostgreSQL providers, plus this project,
# for every service of docker-compose.yml (api-server, scheduler, dag-processor, triggerer,
# Celery workers). One image, so the DAGs, the plugins and the `etl` code a worker runs are
# the ones the scheduler parsed.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    AIRFLOW_HOME=/opt/airflow \
    EDGAR_HOME=/opt/edgar \
    EDGAR_DATA_DIR=/data \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/edgar/dags \
    AIRFLOW__CORE__PLUGINS_FOLDER=/opt/edgar/plugins \
    AIRFLOW__CORE__LOAD_EXAMPLES=False \
    PYTHONPATH=/opt/edgar/plugins

# Every dependency has a manylinux wheel (psycopg2-binary, duckdb, lxml, pandas): no compiler.
# A non-root user owns the Airflow home and the data folder; a named volume mounted on /data
# starts as a copy of this directory, with this owner.
RUN groupadd --gid 50000 airflow \
    && useradd --uid 50000 --gid 50000 --home-dir /opt/airflow --create-home --shell /bin/bash airflow \
    && mkdir -p /opt/edgar /data /opt/airflow/logs /opt/airflow/config \
    && chown -R airflow:airflow /data /opt/airflow

WORKDIR /opt/edgar

# Dependencies first, in their own layer: a code change does not reinstall Airflow.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml','rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install --upgrade pip \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The project itself. Editable, because the code finds sql/, expectations/, dags/ beside etl/.
COPY etl ./etl
COPY sql ./sql
COPY expectations ./expectations
COPY dags ./dags
COPY plugins ./plugins
RUN pip install --no-deps -e . \
    && python -c "import etl.config, etl.warehouse.schema as s; assert s.load_models(), 'no SQL models'"

USER airflow
WORKDIR /opt/airflow
# compose gives each service its full command (`airflow scheduler`, `airflow celery worker`, ...)
CMD ["airflow", "version"]
