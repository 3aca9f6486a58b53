# xiansuo: multi-stage build, runs as the unprivileged `node` user, data in the /data volume.
#   docker build -t xiansuo .
#   docker run -d -p 3000:3000 -v xiansuo-data:/data --env-file xiansuo.env xiansuo
#   docker run --rm -v xiansuo-data:/data --env-file xiansuo.env xiansuo token create --role bureau

FROM node:22-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles when no prebuilt binary fits.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY webhooks ./webhooks
COPY migrations ./migrations
COPY tsconfig.json ./

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_URL=/data/xiansuo.db \
    XIANSUO_MAIL_DIR=/data/mail
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "bin/xiansuo.js"]
CMD ["serve"]
