package deps

import (
	_ "github.com/BurntSushi/toml"
	_ "github.com/alicebob/miniredis/v2"
	_ "github.com/go-telegram/bot"
	_ "github.com/nicksnyder/go-i18n/v2/i18n"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/redis/go-redis/v9"
	_ "github.com/twilio/twilio-go"
	_ "go.yaml.in/yaml/v3"
	_ "golang.org/x/text/unicode/norm"
)
