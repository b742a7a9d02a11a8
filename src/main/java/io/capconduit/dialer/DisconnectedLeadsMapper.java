package io.capconduit.dialer;

import java.time.Instant;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Update;

/** Leads a campaign closed as disconnected numbers, put back to be dialed. */
@Mapper
interface DisconnectedLeadsMapper {

    /**
     * Leads the campaign's calls settled DISCONNECTED since {@code since} that are still closed by it (DONE, that
     * outcome their last, attempts left): RETRY and due now, attempts kept. Found from the campaign's settled entries
     * (outbound_queue_done_idx), not by reading every closed lead.
     */
    @Update("""
            UPDATE leads l SET status = 'RETRY', next_attempt_at = now(), updated_at = now()
            FROM campaigns c
            WHERE c.id = #{campaignId}
              AND l.id IN (SELECT q.lead_id FROM outbound_queue q
                           WHERE q.campaign_id = #{campaignId} AND q.status = 'DONE' AND q.done_at >= #{since}
                             AND q.outcome = 'DISCONNECTED')
              AND l.status = 'DONE' AND l.last_outcome = 'DISCONNECTED' AND l.attempts < c.max_attempts""")
    int reopen(@Param("campaignId") long campaignId, @Param("since") Instant since);
}
