# Alerts on the streaming job (docs/DEPLOY.md, "Metrics and alerts"). Dataflow exports the
# pipeline's Beam counters to Cloud Monitoring as job/user_counter (the counter's name in the
# metric_name label, its running total as the value); Cloud Monitoring's PromQL reads them and
# Dataflow's own job metrics. The same rules for a Flink cluster: docs/OPERATIONS.md, section 5.

locals {
  streaming_job = "job_name=\"${google_dataflow_flex_template_job.streaming.name}\",monitored_resource=\"dataflow_job\""
  user_counter  = "dataflow_googleapis_com:job_user_counter"

  alerts = {
    live_view_stale = {
      title = "live view stale"
      query = "max(dataflow_googleapis_com:job_data_watermark_age{${local.streaming_job}}) > ${var.alert_stale_after_seconds}"
      why   = "The streaming job's data watermark is over ${var.alert_stale_after_seconds} s old: the dashboards' counts stop moving. Check the job's backlog and Bigtable (docs/OPERATIONS.md)."
    }
    dead_letter_rate = {
      title = "dead-letter rate"
      query = "sum(delta(${local.user_counter}{${local.streaming_job},metric_name=\"dead_letters\"}[10m])) / sum(delta(${local.user_counter}{${local.streaming_job},metric_name=\"records_read\"}[10m])) > ${var.alert_dead_letter_ratio}"
      why   = "Over ${var.alert_dead_letter_ratio * 100}% of the records read in 10 minutes went to the dead-letter sink: a producer sends bad input. The lake's dlq/ holds each with its reason."
    }
    too_late_rate = {
      title = "too-late rate"
      query = "sum(delta(${local.user_counter}{${local.streaming_job},metric_name=~\"too_late_at_dedup|droppedDueToLateness\"}[10m])) / sum(delta(${local.user_counter}{${local.streaming_job},metric_name=\"records_read\"}[10m])) > ${var.alert_too_late_ratio}"
      why   = "Over ${var.alert_too_late_ratio * 100}% of the records read in 10 minutes came after their window's grace: the live view undercounts them (the lake and the warehouse have them). A producer is behind, or the grace is too short."
    }
  }
}

resource "google_monitoring_alert_policy" "streaming" {
  for_each = local.alerts

  display_name          = "${var.name_prefix}: ${each.value.title}"
  combiner              = "OR"
  notification_channels = var.alert_notification_channels

  conditions {
    display_name = each.value.title
    condition_prometheus_query_language {
      query      = each.value.query
      duration   = "120s"
      rule_group = "${var.name_prefix}-streaming"
      alert_rule = each.key
    }
  }

  documentation {
    content   = each.value.why
    mime_type = "text/markdown"
  }
}

# The lake connector's lag: how far the lake trails the log (Managed Kafka's offset lag of the
# connector's consumer group). A dead or stuck connector loses nothing (Kafka keeps the records for
# kafka_retention_hours), but the lake and the warehouse fall behind, and past retention records
# would be gone: this alert must fire long before.
resource "google_monitoring_alert_policy" "lake_lag" {
  display_name          = "${var.name_prefix}: lake connector lag"
  combiner              = "OR"
  notification_channels = var.alert_notification_channels

  conditions {
    display_name = "lake connector lag"
    condition_prometheus_query_language {
      query      = "sum(managedkafka_googleapis_com:offset_lag{monitored_resource=\"managedkafka.googleapis.com/TopicPartitionConsumerGroup\",consumer_group_id=\"${local.lake_consumer_group}\",topic_id=\"${local.topic}\"}) > ${var.alert_lake_lag_records}"
      duration   = "600s"
      rule_group = "${var.name_prefix}-lake"
      alert_rule = "lake_connector_lag"
    }
  }

  documentation {
    content   = "The lake connector (${local.lake_connector}) trails the topic by over ${var.alert_lake_lag_records} records for 10 minutes: check its tasks (`kubectl -n ${local.connect_namespace} get kafkaconnector ${local.lake_connector} -o yaml`, status and trace of a failed task) and its workers (docs/OPERATIONS.md, section 4)."
    mime_type = "text/markdown"
  }
}
