package httpapi

import "github.com/prometheus/client_golang/prometheus"

// socketMetrics counts the events sockets of this instance, so an operator sees how many are
// open and whether slow clients are being cut off.
type socketMetrics struct {
	open    prometheus.Gauge
	dropped prometheus.Counter
}

func newSocketMetrics(reg prometheus.Registerer) *socketMetrics {
	m := &socketMetrics{
		open: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "switchboard_events_sockets", Help: "Open events WebSockets on this instance.",
		}),
		dropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "switchboard_events_slow_sockets_closed_total",
			Help: "Events WebSockets closed because they fell a full queue behind.",
		}),
	}
	reg.MustRegister(m.open, m.dropped)
	return m
}
