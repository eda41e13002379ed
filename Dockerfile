# graphsvc as a small, non-root image. Build: `docker build -t graphsvc .`
# Stage 1 builds a wheel of graphsvc and of every dependency; stage 2 installs only those
# wheels into a clean python:3.11-slim, so no compiler, pip cache or source tree ships.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY graphsvc ./graphsvc
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    # The Neo4j store's statements live in cypher/ (the repository's source of truth, see
    # graphsvc/store/neo4j/catalog.py); an installed wheel finds them through this variable.
    GRAPHSVC_CYPHER_DIR=/opt/graphsvc/cypher
RUN useradd --system --uid 10001 --home-dir /var/lib/graphsvc --create-home graphsvc
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links=/wheels graphsvc && rm -rf /wheels
COPY cypher /opt/graphsvc/cypher
USER graphsvc
WORKDIR /var/lib/graphsvc
EXPOSE 8000
# A health check that needs no curl: /healthz answers 200 when the service and store are up.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
ENTRYPOINT ["graphsvc"]
CMD ["serve", "--host", "0.0.0.0"]
