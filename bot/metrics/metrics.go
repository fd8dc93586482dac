// Package metrics exposes Faro's Prometheus metrics: counts and latencies by channel,
// route and outcome. No label ever names a user, a chat or a number.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the collectors on a private registry. It implements bot.Observer.
type Metrics struct {
	reg        *prometheus.Registry
	received   *prometheus.CounterVec
	handled    *prometheus.HistogramVec
	attempts   *prometheus.CounterVec
	delivered  *prometheus.CounterVec
	deliverLat *prometheus.HistogramVec
	queued     *prometheus.GaugeVec
	status     *prometheus.CounterVec
	httpLat    *prometheus.HistogramVec
	events     *prometheus.CounterVec
	effectErrs *prometheus.CounterVec
}

var latencyBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300}

// New registers Faro's metrics and the Go runtime's on a new registry.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		received: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "faro_inbound_total",
			Help: "Inbound webhook or poll updates by channel and outcome."}, []string{"channel", "outcome"}),
		handled: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "faro_handle_seconds",
			Help: "Time the conversation took per message.", Buckets: latencyBuckets}, []string{"channel", "outcome"}),
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "faro_send_attempts_total",
			Help: "Outbound API calls by channel and outcome (ok or the error reason)."}, []string{"channel", "outcome"}),
		delivered: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "faro_outbound_total",
			Help: "Outbound messages by fate: delivered, failed (a final error), expired (retried until too late to help), dropped (still queued at shutdown)."}, []string{"channel", "outcome"}),
		deliverLat: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "faro_outbound_seconds",
			Help: "Time from queueing a reply to its fate.", Buckets: latencyBuckets}, []string{"channel", "outcome"}),
		queued: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "faro_outbound_queued",
			Help: "Outbound messages waiting or in flight."}, []string{"channel"}),
		status: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "faro_status_callbacks_total",
			Help: "Platform delivery status callbacks by status."}, []string{"channel", "status"}),
		httpLat: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "faro_http_request_seconds",
			Help: "Time to answer an HTTP request, by route and status code.", Buckets: latencyBuckets}, []string{"route", "code"}),
		events: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "faro_events_total",
			Help: "Conversation events: emergency numbers given, a safety question asked, a person asked for while none was online."}, []string{"event"}),
		effectErrs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "faro_effect_errors_total",
			Help: "Effects (open a ticket, relay, close) that failed after the commit."}, []string{"effect"}),
	}
	m.reg.MustRegister(m.received, m.handled, m.attempts, m.delivered, m.deliverLat, m.queued, m.status, m.httpLat, m.events, m.effectErrs,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Event implements bot.Events.
func (m *Metrics) Event(name string) { m.events.WithLabelValues(name).Inc() }

// EffectFailed implements bot.Events.
func (m *Metrics) EffectFailed(effect string) { m.effectErrs.WithLabelValues(effect).Inc() }

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Registry returns the registry, for more collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Received implements bot.Observer.
func (m *Metrics) Received(channel, outcome string) {
	m.received.WithLabelValues(channel, outcome).Inc()
}

// Handled implements bot.Observer.
func (m *Metrics) Handled(channel, outcome string, d time.Duration) {
	m.handled.WithLabelValues(channel, outcome).Observe(d.Seconds())
}

// Attempt implements bot.Observer.
func (m *Metrics) Attempt(channel, outcome string) {
	m.attempts.WithLabelValues(channel, outcome).Inc()
}

// Delivered implements bot.Observer.
func (m *Metrics) Delivered(channel, outcome string, d time.Duration) {
	m.delivered.WithLabelValues(channel, outcome).Inc()
	m.deliverLat.WithLabelValues(channel, outcome).Observe(d.Seconds())
}

// QueueDepth implements bot.Observer.
func (m *Metrics) QueueDepth(channel string, n int) {
	m.queued.WithLabelValues(channel).Set(float64(n))
}

// Status implements bot.Observer.
func (m *Metrics) Status(channel, status string) { m.status.WithLabelValues(channel, status).Inc() }

// Instrument wraps h to record its answer time under the fixed route name.
func (m *Metrics) Instrument(route string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		h.ServeHTTP(sw, r)
		m.httpLat.WithLabelValues(route, strconv.Itoa(sw.code)).Observe(time.Since(start).Seconds())
	})
}

// statusWriter notes the status code. It passes Flush through and exposes Unwrap, so
// streaming handlers (Server-Sent Events) can flush, and http.ResponseController can
// reach the connection's own writer to extend deadlines (SetWriteDeadline) or hijack.
type statusWriter struct {
	http.ResponseWriter
	code int
}

// Flush sends what was written so far to the client, when the writer beneath can.
func (w *statusWriter) Flush() {
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap returns the wrapped writer, for http.ResponseController.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// WriteHeader notes the status code on its way out.
func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}
