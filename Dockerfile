# Production image: gunicorn for web, the same image runs the Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VAR_DIR=/var/lib/hamroh

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /app hamroh

WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir .
COPY . .
# Static files are collected at build time and served by whitenoise.
RUN ALLOW_DEV_SECRETS=true python manage.py collectstatic --noinput \
    && mkdir -p "$VAR_DIR" && chown -R hamroh "$VAR_DIR"

USER hamroh
EXPOSE 8000
CMD ["gunicorn", "advisor.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
