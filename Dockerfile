# Hài Lòng: one static binary, no shell, non-root, data on a volume.
# Build:  docker build -t hailong .
# Run:    docker run -d --name hailong -p 8080:8080 -v hailong-data:/data \
#           -e HAILONG_PUBLIC_URL=https://hailong.example.gov.vn hailong
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/hailong ./cmd/hailong \
 && mkdir -p /out/data && chown 65532:65532 /out/data

FROM scratch
COPY --from=build /out/hailong /hailong
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
VOLUME ["/data"]
EXPOSE 8080
ENV HAILONG_DATA=/data HAILONG_ADDR=0.0.0.0:8080
ENTRYPOINT ["/hailong"]
CMD ["serve"]
