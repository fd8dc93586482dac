module github.com/faro-chat/faro/deploy/healthcheck

go 1.26.0
