package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/config"
	"github.com/faro-chat/faro/bot/session"
	"github.com/faro-chat/faro/bot/store"
	"github.com/faro-chat/faro/flows/content"
)

// sourceFlags adds the content override flags shared by the commands that load content.
func sourceFlags(fs *flag.FlagSet) *content.Sources {
	s := content.Sources{
		FlowsDir:     config.Lookup(os.Getenv, "FARO_FLOWS_DIR"),
		LocalesDir:   config.Lookup(os.Getenv, "FARO_LOCALES_DIR"),
		DirectoryDir: config.Lookup(os.Getenv, "FARO_DIRECTORY_DIR"),
	}
	fs.StringVar(&s.FlowsDir, "flows", s.FlowsDir, "folder with main.yaml to use instead of the embedded flow (env FARO_FLOWS_DIR)")
	fs.StringVar(&s.LocalesDir, "locales", s.LocalesDir, "folder with <lang>.toml files to use instead of the embedded ones (env FARO_LOCALES_DIR)")
	enabled, _ := config.ParseLangs(config.Lookup(os.Getenv, "FARO_LOCALES_ENABLED"))
	s.Enabled = enabled
	fs.Func("locales-enabled", "draft locales to offer besides the reviewed ones, comma-separated (pt,qu) or all (env FARO_LOCALES_ENABLED)", func(v string) error {
		langs, err := config.ParseLangs(v)
		s.Enabled = langs
		return err
	})
	fs.StringVar(&s.DirectoryDir, "directory", s.DirectoryDir, "folder with directory data to use instead of the embedded data (env FARO_DIRECTORY_DIR)")
	return &s
}

// runChat is a conversation in the terminal: one user message per line on stdin, the
// bot's replies on stdout. It works in a pipe, so conversations can be scripted.
//
// Besides text, a line may be:
//
//	/start [code]          a fresh start, with an organization's deep-link code
//	/location LAT,LON      a location pin (or just /location with --location)
//	/voice /photo /sticker /document   something that is not text
//
// On WhatsApp (the default channel) a line may also be an organization's greeting,
// «Hola (ref sjm)», as its click-to-chat link prefills it.
func runChat(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	fs.SetOutput(stderr)
	src := sourceFlags(fs)
	lang := fs.String("lang", "es", "the language the phone reports (es, en, pt-BR, ...)")
	channel := fs.String("channel", "whatsapp", "render as this channel would: whatsapp (numbered menus, 1,600 characters) or telegram (buttons, 4,096)")
	redisURL := fs.String("redis", config.Lookup(os.Getenv, "FARO_REDIS_URL"), "Redis URL (default: an embedded in-process Redis)")
	location := fs.String("location", "", "LAT,LON of a pin to send when the bot asks where you are (or on a /location line)")
	nowFlag := fs.String("now", "", "the time of every message, RFC 3339 (default: the clock), for reproducible runs")
	echo := fs.Bool("echo", !isTerminal(stdin), "print each user line as \"> line\" before the replies (default when stdin is not a terminal)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *channel != bot.ChannelWhatsApp && *channel != bot.ChannelTelegram {
		fmt.Fprintf(stderr, "faro chat: --channel must be whatsapp or telegram\n")
		return 2
	}
	var pin *bot.Location
	if *location != "" {
		p, err := parseLatLon(*location)
		if err != nil {
			fmt.Fprintf(stderr, "faro chat: --location: %v\n", err)
			return 2
		}
		pin = &p
	}
	clock := time.Now
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			fmt.Fprintf(stderr, "faro chat: --now: %v\n", err)
			return 2
		}
		clock = func() time.Time { return t }
	}
	ct, err := content.Load(*src)
	if err != nil {
		fmt.Fprintf(stderr, "faro chat: %v\n", err)
		return 1
	}
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	var sessions session.Store
	if *redisURL != "" {
		c, err := store.Dial(*redisURL, "")
		if err != nil {
			fmt.Fprintf(stderr, "faro chat: %v\n", err)
			return 1
		}
		defer c.Close()
		sessions = session.NewRedis(c, session.Options{Secret: secret})
	} else {
		c, closeRedis, err := store.Embedded()
		if err != nil {
			fmt.Fprintf(stderr, "faro chat: %v\n", err)
			return 1
		}
		defer closeRedis()
		sessions = session.NewRedis(c, session.Options{Secret: secret})
	}
	conv, err := bot.NewConversation(bot.Config{
		Engine: ct.Engine, Texts: ct.Texts, Store: sessions, Secret: secret, Now: clock,
		OrgCode: ct.Directory.OrgCode,
	})
	if err != nil {
		fmt.Fprintf(stderr, "faro chat: %v\n", err)
		return 1
	}
	if isTerminal(stdin) {
		fmt.Fprintln(stderr, "faro chat: type a message and press Enter (try «hola» or «auxilio»); Ctrl-D quits.")
	}
	c := &chat{conv: conv, channel: *channel, lang: *lang, pin: pin, now: clock, out: stdout, errOut: stderr, echo: *echo}
	return c.run(ctx, stdin)
}

type chat struct {
	conv        *bot.Conversation
	channel     string
	lang        string
	pin         *bot.Location
	pinSent     bool
	now         func() time.Time
	out, errOut io.Writer
	echo        bool
	seq         int
}

func (c *chat) run(ctx context.Context, stdin io.Reader) int {
	r := bufio.NewReaderSize(stdin, 64*1024)
	for {
		line, err := r.ReadString('\n')
		if line == "" && err != nil {
			if errors.Is(err, io.EOF) {
				return 0
			}
			fmt.Fprintf(c.errOut, "faro chat: read: %v\n", err)
			return 1
		}
		if ctx.Err() != nil {
			return 130
		}
		line = strings.TrimRight(line, "\r\n")
		in, ok := c.inbound(line)
		if !ok {
			continue
		}
		if c.echo {
			fmt.Fprintf(c.out, "> %s\n", line)
		}
		if !c.send(ctx, in) {
			return 1
		}
	}
}

// send hands one message to the bot and prints the replies; if the bot asks where the
// user is and --location was given, it answers with the pin.
func (c *chat) send(ctx context.Context, in bot.Inbound) bool {
	outs, err := c.conv.Handle(ctx, in)
	if err != nil {
		fmt.Fprintf(c.errOut, "faro chat: %v\n", err)
	}
	for _, o := range outs {
		c.print(o)
	}
	for _, o := range outs {
		if o.AskLocation && c.pin != nil && !c.pinSent {
			c.pinSent = true
			if c.echo {
				fmt.Fprintf(c.out, "> /location %g,%g\n", c.pin.Lat, c.pin.Lon)
			}
			return c.send(ctx, c.message(bot.Inbound{Location: c.pin}))
		}
	}
	return true
}

func (c *chat) message(in bot.Inbound) bot.Inbound {
	c.seq++
	in.Channel = c.channel
	in.Address = "terminal"
	in.MessageID = strconv.Itoa(c.seq)
	in.LangHint = c.lang
	in.ReceivedAt = c.now()
	return in
}

// inbound parses one typed line.
func (c *chat) inbound(line string) (bot.Inbound, bool) {
	cmd, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
	switch cmd {
	case "/start":
		return c.message(bot.Inbound{Start: true, StartCode: strings.TrimSpace(rest)}), true
	case "/location", "📍":
		if strings.TrimSpace(rest) == "" {
			if c.pin == nil {
				fmt.Fprintln(c.errOut, "faro chat: /location needs LAT,LON (or --location)")
				return bot.Inbound{}, false
			}
			c.pinSent = true
			return c.message(bot.Inbound{Location: c.pin}), true
		}
		p, err := parseLatLon(rest)
		if err != nil {
			fmt.Fprintf(c.errOut, "faro chat: /location: %v\n", err)
			return bot.Inbound{}, false
		}
		return c.message(bot.Inbound{Location: &p}), true
	case "/voice":
		return c.message(bot.Inbound{Media: bot.MediaVoice}), true
	case "/photo":
		return c.message(bot.Inbound{Media: bot.MediaPhoto}), true
	case "/sticker":
		return c.message(bot.Inbound{Media: bot.MediaSticker}), true
	case "/document":
		return c.message(bot.Inbound{Media: bot.MediaDocument}), true
	}
	if c.channel == bot.ChannelWhatsApp { // an organization's greeting, "Hola (ref sjm)"
		return c.message(bot.TakeReferral(bot.Inbound{Text: line})), true
	}
	return c.message(bot.Inbound{Text: line}), true
}

// print shows a reply as the channel would: WhatsApp with numbered options in the text,
// split at 1,600 characters; Telegram with buttons under the text, split at 4,096.
func (c *chat) print(o bot.Outbound) {
	parts := bot.SplitText(bot.NumberedText(o), bot.WhatsAppMaxLen)
	if c.channel == bot.ChannelTelegram {
		parts = bot.SplitText(o.Text, bot.TelegramMaxLen)
	}
	for i, p := range parts {
		if i > 0 {
			fmt.Fprintln(c.out, "· · ·")
		}
		fmt.Fprintln(c.out, p)
	}
	if c.channel == bot.ChannelTelegram {
		for i, b := range o.Buttons {
			fmt.Fprintf(c.out, "[%d. %s]\n", i+1, b.Label)
		}
		if o.AskLocation {
			fmt.Fprintf(c.out, "[%s]\n", o.LocationLabel)
		}
	}
	fmt.Fprintln(c.out)
}

func parseLatLon(s string) (bot.Location, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), ",")
	if !ok {
		return bot.Location{}, fmt.Errorf("want LAT,LON, got %q", s)
	}
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if err1 != nil || err2 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return bot.Location{}, fmt.Errorf("want LAT,LON in degrees, got %q", s)
	}
	return bot.Location{Lat: lat, Lon: lon}, nil
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
