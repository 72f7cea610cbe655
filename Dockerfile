# ocsea-hub Python services (api, streams worker, agents worker); see docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# The dependencies first, from pyproject.toml alone: a change to the code rebuilds the layers
# below only, not every dependency.
COPY pyproject.toml /app/
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt
COPY . /app
RUN pip install --no-deps .

# Not root: the services need no privilege, and a flaw in a parser reached from the public
# door should not own the container. Faust keeps its data directory (--datadir in
# docker-compose.yml) in /var/lib/ocsea, the one place this user may write.
RUN useradd --system --uid 10001 --home-dir /var/lib/ocsea --create-home ocsea
USER ocsea

EXPOSE 8080
CMD ["python", "-m", "api"]
